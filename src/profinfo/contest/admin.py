"""The contest in the admin site: for administrators of the whole tree (the organizers) only.
Models with an edit history show it («История»); what the contest computed or logged —
frozen results, snapshots, events, refused assignments — can be read, never changed."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from profinfo.organizations.scoping import Scope

from .models import (
    Application,
    Assignment,
    Attachment,
    ConfirmingOrganization,
    ConflictRefusal,
    Contest,
    Dispute,
    Event,
    Mark,
    Nomination,
    Result,
    Snapshot,
)


def _organizer(request) -> bool:
    return Scope.for_user(request.user).is_global_admin


class OrganizerOnly:
    def has_module_permission(self, request):
        return _organizer(request)

    def has_view_permission(self, request, obj=None):
        return _organizer(request)

    def has_add_permission(self, request, *args):
        return _organizer(request)

    def has_change_permission(self, request, obj=None):
        return _organizer(request)

    def has_delete_permission(self, request, obj=None):
        return _organizer(request)


class ReadOnly(OrganizerOnly):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NominationInline(OrganizerOnly, admin.TabularInline):
    model = Nomination
    extra = 0
    fields = ["order", "title", "level", "members_from", "members_to", "resource_kind",
              "blocks", "places"]


class ConfirmingInline(OrganizerOnly, admin.TabularInline):
    model = ConfirmingOrganization
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(Contest)
class ContestAdmin(OrganizerOnly, SimpleHistoryAdmin):
    list_display = ["year", "title", "stage", "is_example", "frozen_at"]
    list_filter = ["stage", "is_example"]
    readonly_fields = ["frozen_at", "created_at"]
    inlines = [NominationInline, ConfirmingInline]


@admin.register(Nomination)
class NominationAdmin(OrganizerOnly, SimpleHistoryAdmin):
    list_display = ["title", "contest", "level", "resource_kind", "blocks", "places", "order"]
    list_filter = ["contest"]


class AttachmentInline(OrganizerOnly, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "file", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["size", "uploaded_by", "uploaded_at"]


@admin.register(Application)
class ApplicationAdmin(OrganizerOnly, SimpleHistoryAdmin):
    list_display = ["organization", "nomination", "state", "submitted_at"]
    list_filter = ["state", "nomination__contest", "nomination"]
    search_fields = ["organization__name", "organization__short_name"]
    list_select_related = ["organization", "nomination"]
    raw_id_fields = ["organization", "created_by", "confirmed_by"]
    readonly_fields = ["created_at"]
    inlines = [AttachmentInline]


@admin.register(Assignment)
class AssignmentAdmin(OrganizerOnly, SimpleHistoryAdmin):
    list_display = ["expert", "application", "assigned_at", "completed_at"]
    list_filter = ["application__nomination__contest"]
    search_fields = ["expert__username", "expert__last_name",
                     "application__organization__name"]
    list_select_related = ["expert", "application__organization", "application__nomination"]
    raw_id_fields = ["application", "expert", "assigned_by"]


@admin.register(Mark)
class MarkAdmin(OrganizerOnly, SimpleHistoryAdmin):
    list_display = ["assignment", "criterion", "points", "updated_at"]
    list_filter = ["assignment__application__nomination__contest"]
    list_select_related = ["assignment__expert", "assignment__application__organization",
                           "assignment__application__nomination", "criterion"]
    raw_id_fields = ["assignment", "criterion"]


@admin.register(Dispute)
class DisputeAdmin(OrganizerOnly, SimpleHistoryAdmin):
    list_display = ["application", "criterion", "state", "created_at", "answered_at"]
    list_filter = ["state", "application__nomination__contest"]
    list_select_related = ["application__organization", "application__nomination",
                           "criterion"]
    raw_id_fields = ["application", "criterion", "created_by", "answered_by"]


@admin.register(ConflictRefusal)
class ConflictRefusalAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["expert", "application", "reason", "refused_for", "created_at"]
    list_filter = ["application__nomination__contest"]
    list_select_related = ["expert", "refused_for", "application__organization",
                           "application__nomination"]


class ResultInline(ReadOnly, admin.TabularInline):
    model = Result
    extra = 0
    fields = ["nomination_title", "place", "organization_name", "total", "maximum",
              "jury_total", "completeness"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["contest", "kind", "created_at", "created_by", "superseded"]
    list_filter = ["contest", "kind", "superseded"]
    inlines = [ResultInline]


@admin.register(Result)
class ResultAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["organization_name", "nomination_title", "place", "total", "snapshot"]
    list_filter = ["snapshot__contest", "snapshot__kind"]
    search_fields = ["organization_name"]
    list_select_related = ["snapshot__contest"]


@admin.register(Event)
class EventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["contest", "action", "reason", "user", "created_at"]
    list_filter = ["contest"]
    list_select_related = ["contest", "user"]
