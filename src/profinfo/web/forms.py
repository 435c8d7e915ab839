"""Forms of the web UI. Every message a person sees is a Russian sentence."""

from __future__ import annotations

from django import forms

from profinfo.monitoring.models import MANUAL_DATE_METRICS, MANUAL_PERIOD_METRICS
from profinfo.monitoring.selectors import stale_state_choices
from profinfo.organizations.models import Level, Organization, OrganizationKind, Person
from profinfo.registry.models import (
    FIELD_LABELS_BY_KIND,
    KIND_FIELDS,
    Kind,
    Network,
    PrintIssue,
    Resource,
    file_size_limit,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form, error: forms.ValidationError) -> None:
    """A service's refusal shown on the form: next to the field it names, else above all."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class RussianErrorsMixin:
    """Replace Django's terse defaults with full sentences."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.FileField):
                field.validators.append(file_size_limit)
                field.error_messages["empty"] = "Файл пустой."
            label = str(field.label or "").lower()
            field.error_messages["required"] = f"Заполните поле «{label}»."
            field.error_messages["invalid"] = f"Проверьте поле «{label}»: значение не подходит."
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = "Введите дату в виде ДД.ММ.ГГГГ."
            if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
                field.error_messages["invalid"] = "Введите число (только цифры)."
                field.error_messages["min_value"] = "Число не может быть отрицательным."
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = "Выберите значение из списка."


class OrganizationForm(RussianErrorsMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "level", "kind", "region", "members_count", "is_active"]
        widgets = {"members_count": forms.NumberInput(attrs={"min": 0})}
        help_texts = {
            "short_name": "Как организацию называют в отчётах, например «Пермская краевая».",
            "members_count": "Нужно для расчёта охвата: подписчиков на одного члена профсоюза.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "— не указан —"), *OrganizationKind.choices]
        self.fields["level"].choices = Level.choices


class PersonForm(RussianErrorsMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "position", "email", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = (
            "Адрес электронной почты должен быть вида name@site.ru."
        )


class ResourceForm(RussianErrorsMixin, forms.ModelForm):
    """One form for every kind; only the fields of the chosen kind are shown."""

    COMMON = ("title", "responsible", "confirmed_at", "is_public", "is_active", "note")

    class Meta:
        model = Resource
        fields = [
            "title", "url", "network", "is_official", "is_youth_council", "is_leader_page",
            "cms", "metrica_id", "liveinternet", "print_type", "periodicity", "service_type",
            "contact", "date", "quantity", "file", "responsible", "confirmed_at", "is_public",
            "is_active", "note",
        ]
        widgets = {
            "date": DATE_INPUT, "confirmed_at": DATE_INPUT,
            "url": forms.TextInput(attrs={"inputmode": "url",
                                          "placeholder": "например, site.ru или vk.com/club123"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "url": "Адрес можно вставить в любом виде: www, http/https и косая черта в конце "
                   "не важны.",
            "title": "Для сайта можно оставить пустым — подставится имя сайта.",
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = set(KIND_FIELDS[kind]) | set(self.COMMON)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for (field_kind, name), label in FIELD_LABELS_BY_KIND.items():
            if field_kind == kind and name in self.fields:
                self.fields[name].label = label
        if "network" in self.fields:
            self.fields["network"].choices = [("", "— определить по адресу —"), *Network.choices]
            self.fields["network"].required = False
        self.fields["title"].required = kind != Kind.SITE
        self.instance.kind = kind


class ManualObservationForm(RussianErrorsMixin, forms.Form):
    metric = forms.ChoiceField(
        label="Показатель",
        choices=[(m.value, m.label) for m in (*MANUAL_PERIOD_METRICS, *MANUAL_DATE_METRICS)],
    )
    # the form only reads the values; which are allowed is the service's rule, so that every
    # problem of an entry is named at once
    value = forms.IntegerField(label="Значение", widget=forms.NumberInput(attrs={"min": 0}))
    period_start = forms.DateField(label="Начало периода", required=False, widget=DATE_INPUT,
                                   help_text="Для публикаций, посетителей и просмотров.")
    period_end = forms.DateField(label="Конец периода или дата", widget=DATE_INPUT,
                                 help_text="Для подписчиков — дата, на которую дано число.")
    note = forms.CharField(label="Откуда данные", required=False, max_length=500)


class PrintIssueForm(RussianErrorsMixin, forms.ModelForm):
    class Meta:
        model = PrintIssue
        fields = ["number", "date", "circulation", "file"]
        widgets = {"date": DATE_INPUT}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл таблицы (XLSX или CSV)",
        error_messages={"required": "Выберите файл.", "empty": "Файл пустой."},
    )


class MoveOrganizationForm(forms.Form):
    new_parent = forms.CharField(
        label="Новая вышестоящая организация", max_length=500,
        help_text="Номер организации в ПрофИнфо или её точное название.",
        error_messages={"required": "Укажите, куда перенести организацию."},
    )


class CriterionOverrideForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    present = forms.TypedChoiceField(
        label="Решение", choices=[("1", "выполнен"), ("0", "не выполнен")],
        coerce=lambda v: v == "1")
    reason = forms.CharField(label="Причина", max_length=2000,
                             error_messages={"required": "Укажите причину решения."})


class TrafficPeriodForm(RussianErrorsMixin, forms.Form):
    """Only reads the dates: what a period may be is the service's rule."""

    start = forms.DateField(label="С", widget=DATE_INPUT)
    end = forms.DateField(label="По", widget=DATE_INPUT)


class FreshnessFilterForm(forms.Form):
    state = forms.ChoiceField(label="Состояние", required=False)
    kind = forms.ChoiceField(label="Вид", required=False,
                             choices=[("", "сайты и страницы в соцсетях"),
                                      (Kind.SITE, "только сайты"),
                                      (Kind.SOCIAL, "только страницы в соцсетях")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = stale_state_choices()


class ReportPeriodForm(RussianErrorsMixin, forms.Form):
    start = forms.DateField(label="С", widget=DATE_INPUT, required=False,
                            input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    end = forms.DateField(label="По", widget=DATE_INPUT, required=False,
                          input_formats=["%Y-%m-%d", "%d.%m.%Y"])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("start", "Начало периода позже его конца.")
        return data
