from django.contrib import admin

from profinfo.organizations.admin import ScopedAdmin

from .models import PrintIssue, Resource


class PrintIssueInline(admin.TabularInline):
    model = PrintIssue
    extra = 0


@admin.register(Resource)
class ResourceAdmin(ScopedAdmin):
    list_display = ("title", "kind", "network", "organization", "url", "is_public", "is_active")
    list_filter = ("kind", "network", "is_public", "is_active")
    search_fields = ("title", "url")
    list_select_related = ("organization",)
    raw_id_fields = ("organization",)
    inlines = [PrintIssueInline]

    def save_model(self, request, obj, form, change):
        from profinfo.organizations.scoping import scope_of

        from .services import resource_save

        resource_save(resource=obj, scope=scope_of(request.user))
