from django.contrib import admin

from profinfo.organizations.admin import ScopedAdmin

from .models import Observation


@admin.register(Observation)
class ObservationAdmin(ScopedAdmin):
    """Observations are history: viewable here, never edited or deleted."""

    organization_path = "resource__organization__path"
    list_display = ("resource", "metric", "value", "value_date", "period_end", "source", "ok")
    list_filter = ("metric", "source", "ok")
    list_select_related = ("resource",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
