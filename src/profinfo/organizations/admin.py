"""The admin site, open to administrators only, and scoped to their subtree like the UI."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Organization, Person
from .scoping import scope_of
from .services import staff_flag_sync, users_administered_by


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
            kwargs["queryset"] = Organization.objects.administered_by(scope)
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
    """A role is granted only on an organization one administers, only to a person who
    already holds a role there (accounts are opened by the administrators of the whole
    tree), and never lists the accounts of other organizations."""

    list_display = ("user", "role", "organization")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__name")
    raw_id_fields = ("organization",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = users_administered_by(scope_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        staff_flag_sync(obj.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        staff_flag_sync(obj.user)

    def delete_queryset(self, request, queryset):
        users = {membership.user for membership in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            staff_flag_sync(user)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    raw_id_fields = ("organization",)

    def get_queryset(self, request):
        scope = scope_of(request.user)
        return super().get_queryset(request).filter(scope.administrable("organization__"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization:
            kwargs["queryset"] = Organization.objects.administered_by(scope_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


User = get_user_model()
admin.site.unregister(User)


def _global_admin(request) -> bool:
    return scope_of(request.user).is_global_admin


@admin.register(User)
class ProfinfoUserAdmin(SimpleHistoryAdmin, UserAdmin):
    """Accounts are managed by administrators of the whole tree only. No one raises anyone
    here: superuser status, permissions and groups are not in the form (a superuser is made
    from the console), and the admin site's door (is_staff) follows the roles granted."""

    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Личные данные", {"fields": ("first_name", "last_name", "email")}),
        ("Доступ", {"fields": ("is_active", "is_staff", "is_superuser", "last_login",
                               "date_joined")}),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    list_filter = ("is_active", "memberships__role")
    filter_horizontal = ()

    def has_module_permission(self, request):
        return _global_admin(request)

    def has_view_permission(self, request, obj=None):
        return _global_admin(request)

    def has_change_permission(self, request, obj=None):
        return _global_admin(request) and not (obj and obj.is_superuser
                                               and not request.user.is_superuser)

    def has_add_permission(self, request):
        return _global_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and obj != request.user

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        staff_flag_sync(form.instance)


class LockoutAdminMixin:
    """Login locks and the login journal, for the administrators of the whole tree."""

    def has_module_permission(self, request):
        return _global_admin(request)

    def has_view_permission(self, request, obj=None):
        return _global_admin(request)


admin.site.unregister(AccessAttempt)
admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)


@admin.register(AccessAttempt)
class LoginLockAdmin(LockoutAdminMixin, AccessAttemptAdmin):
    """Deleting a row unlocks the login at once."""

    def has_delete_permission(self, request, obj=None):
        return _global_admin(request)


@admin.register(AccessLog)
class LoginJournalAdmin(LockoutAdminMixin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureJournalAdmin(LockoutAdminMixin, AccessFailureLogAdmin):
    pass
