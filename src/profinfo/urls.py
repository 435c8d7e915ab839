from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ПрофИнфо — администрирование"
admin.site.site_title = "ПрофИнфо"
admin.site.index_title = "Данные"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("profinfo.web.urls")),
]
# Uploaded files are never served from MEDIA_ROOT by address, not even with DEBUG on: each is
# read through a view that checks who may read it (contest attachments included).
