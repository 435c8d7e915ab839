"""The admin site, open to administrators only, and scoped to their subtree like the UI."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Organization, Person
from .scoping import scope_of


class ScopedAdmin(SimpleHistoryAdmin):
    """Objects are reachable through `organization_path` (a lookup to the owning org's path)."""

    organization_path = "organization__path"

    def _scope(self, request):
        return scope_of(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = self._scope(request)
        if scope.is_superuser:
            return qs
        return qs.filter(scope.administrable(self.organization_path[: -len("path")]))

    def _org_of(self, obj):
        for part in self.organization_path.split("__")[:-1]:
            obj = getattr(obj, part)
        return obj

    def has_module_permission(self, request):
        return self._scope(request).is_admin

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._scope(request).is_admin

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def _allowed(self, request, obj):
        scope = self._scope(request)
        if obj is None:
            return scope.is_admin
        return scope.can_administer(self._org_of(obj) if self.organization_path != "path"
                                    else obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization:
            scope = self._scope(request)
            kwargs["queryset"] = Organization.objects.filter(
                scope.administrable()).order_by("path")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    organization_path = "path"
    list_display = ("name", "short_name", "level", "region", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "short_name", "region")
    readonly_fields = ("path", "depth", "numchild")
    inlines = [PersonInline]

    def has_add_permission(self, request):
        return False  # new organizations are added in the tree, under their parent

    def has_delete_permission(self, request, obj=None):
        return False  # organizations are archived, not deleted: history stays


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ("full_name", "position", "organization", "email", "phone")
    search_fields = ("full_name", "email")
    raw_id_fields = ("organization",)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("user", "role", "organization")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__name")
    raw_id_fields = ("organization",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ProfinfoUserAdmin(UserAdmin):
    """Accounts are managed by administrators of the whole tree only."""

    inlines = [MembershipInline]

    def _global(self, request):
        scope = scope_of(request.user)
        return scope.is_superuser or any(len(p) == Organization.steplen
                                         for p in scope.admin_paths)

    def has_module_permission(self, request):
        return self._global(request)

    def has_view_permission(self, request, obj=None):
        return self._global(request)

    def has_change_permission(self, request, obj=None):
        return self._global(request) and not (obj and obj.is_superuser
                                              and not request.user.is_superuser)

    def has_add_permission(self, request):
        return self._global(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)
