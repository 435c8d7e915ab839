"""The methodology is edited by administrators of the whole tree; experts and jury members
with a role see it. A frozen (approved) methodology cannot be changed. Every page has the
edit history («История»): who changed what in the methodology and the jury's scores."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from profinfo.organizations.scoping import Scope

from .defaults import methodology_of_year
from .models import Block, Criterion, JuryScore, Methodology
from .rules import RULE_CHOICES


def _global_admin(request) -> bool:
    return Scope.for_user(request.user).is_global_admin


class CriterionForm(forms.ModelForm):
    rule = forms.ChoiceField(label="Правило расчёта", required=False,
                             choices=[("", "— (оценивает жюри)"), *RULE_CHOICES])

    class Meta:
        model = Criterion
        fields = ["order", "code", "title", "points", "source", "rule", "threshold",
                  "recommendation"]


class CriterionInline(admin.StackedInline):
    model = Criterion
    form = CriterionForm
    extra = 0


class GlobalAdmin(SimpleHistoryAdmin):
    def has_module_permission(self, request):
        return _global_admin(request)

    def has_view_permission(self, request, obj=None):
        return _global_admin(request)

    def has_add_permission(self, request, *args):
        return _global_admin(request)

    def has_change_permission(self, request, obj=None):
        return _global_admin(request) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return _global_admin(request) and not _frozen(obj)


def _frozen(obj) -> bool:
    if isinstance(obj, Methodology):
        return obj.frozen
    if isinstance(obj, Block):
        return obj.methodology.frozen
    if isinstance(obj, Criterion):
        return obj.block.methodology.frozen
    return False


class BlockInline(admin.TabularInline):
    model = Block
    extra = 0
    fields = ["order", "code", "title", "weight"]
    show_change_link = True


@admin.action(description="Создать методику следующего года (копия выбранной)")
def copy_to_next_year(modeladmin, request, queryset):
    """A year gets its own methodology before it is edited or the jury scores it: reading a
    year without one uses the latest earlier one and writes nothing."""
    for methodology in queryset:
        made = methodology_of_year(methodology.year + 1)
        modeladmin.message_user(request, f"Методика {made.year} года: «{made.title}».")


@admin.register(Methodology)
class MethodologyAdmin(GlobalAdmin):
    list_display = ["year", "title", "frozen"]
    inlines = [BlockInline]
    actions = [copy_to_next_year]

    def has_change_permission(self, request, obj=None):
        # an approved methodology can still be un-frozen by an administrator, nothing else
        return _global_admin(request)

    def get_readonly_fields(self, request, obj=None):
        return ["year", "title"] if obj and obj.frozen else []

    def get_inlines(self, request, obj):
        return [] if obj and obj.frozen else self.inlines


@admin.register(Block)
class BlockAdmin(GlobalAdmin):
    list_display = ["title", "methodology", "weight", "order"]
    list_filter = ["methodology"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(GlobalAdmin):
    """A criterion on its own page, for its edit history; criteria are added in their block."""

    form = CriterionForm
    list_display = ["title", "code", "block", "points", "source"]
    list_filter = ["block__methodology", "source"]
    search_fields = ["title", "code"]
    list_select_related = ["block__methodology"]

    def has_add_permission(self, request, *args):
        return False


@admin.register(JuryScore)
class JuryScoreAdmin(GlobalAdmin):
    list_display = ["criterion", "organization", "points", "created_by", "created_at"]
    list_filter = ["criterion__block__methodology"]
    fields = ["criterion", "organization", "points", "comment"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criterion":
            kwargs["queryset"] = Criterion.objects.filter(source="jury").select_related(
                "block__methodology")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.points = max(0.0, min(obj.points, obj.criterion.points))  # within the criterion
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
