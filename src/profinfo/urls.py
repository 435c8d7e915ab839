from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

admin.site.site_header = "ПрофИнфо — администрирование"
admin.site.site_title = "ПрофИнфо"
admin.site.index_title = "Данные"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("profinfo.web.urls")),
]
if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
