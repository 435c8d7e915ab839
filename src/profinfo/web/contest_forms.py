"""Forms of the contest's pages. Every message a person sees is a Russian sentence."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from profinfo.contest.models import Contest, Nomination, Stage
from profinfo.contest.services import COMMENT_MAX_CHARS, attachment_refusal
from profinfo.evaluation.models import Methodology
from profinfo.organizations.models import Level, Organization
from profinfo.registry.models import Kind

from .forms import DATE_INPUT, RussianErrorsMixin

# --- participant pages (views/contest_participant.py) -----------------------------------------

ORGANIZATION_CHOICES_SHOWN = 200  # more: the search box narrows the list


class ParticipantApplyForm(RussianErrorsMixin, forms.Form):
    """Which organization applies, and in which nomination. `organizations` is every
    organization the user may edit (what the form accepts); `shown`, the few the list offers."""

    organization = forms.ModelChoiceField(label="Организация", queryset=None,
                                          empty_label="— выберите организацию —")
    nomination = forms.ModelChoiceField(label="Номинация", queryset=None,
                                        empty_label="— выберите номинацию —")

    def __init__(self, *args, organizations, shown, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].widget.choices = [
            ("", "— выберите организацию —"),
            *((o.pk, f"{o.name} ({o.get_level_display()})") for o in shown)]
        self.fields["nomination"].queryset = nominations


ANSWER_HINT = "Что показать жюри: ссылки, описание."


class ParticipantAnswersForm(RussianErrorsMixin, forms.Form):
    """The анкета: one text per jury criterion of the nomination, and the contact person."""

    contact = forms.CharField(label="Контактное лицо", max_length=300, required=False,
                              help_text="Фамилия, имя, телефон или e-mail: с кем связаться "
                                        "по заявке.")

    def __init__(self, *args, criteria, answers_max: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}
        for criterion, key in criteria:
            name = f"answer_{criterion.pk}"
            self.keys[name] = key
            self.fields[name] = forms.CharField(
                label=criterion.title, required=False, max_length=answers_max,
                help_text=ANSWER_HINT, widget=forms.Textarea(attrs={"rows": 4}))
            self.fields[name].error_messages["max_length"] = (
                f"Ответ длиннее {answers_max} знаков: сократите его.")
        self.order_fields([*self.keys, "contact"])

    @classmethod
    def initial_from(cls, application, criteria) -> dict:
        initial = {"contact": application.contact}
        for criterion, key in criteria:
            initial[f"answer_{criterion.pk}"] = application.answers.get(key, "")
        return initial

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name, "") for name, key in self.keys.items()}


ANSWERS_FORM_ID = "answers"


class ParticipantAttachmentForm(RussianErrorsMixin, forms.Form):
    title = forms.CharField(label="Что в файле", max_length=300,
                            help_text="Например: «Бюллетень, № 3, 2021».")
    file = forms.FileField(label="Файл (PDF, JPEG, PNG или DOCX)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # sent with the анкета, so its typed text stays
            field.widget.attrs["form"] = ANSWERS_FORM_ID


class ParticipantDisputeForm(RussianErrorsMixin, forms.Form):
    """An objection to the score of one criterion (the page shows one per criterion, each
    with the criterion's id as its prefix)."""

    comment = forms.CharField(label="С чем вы не согласны и почему", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="Подтверждающий файл (PDF, JPEG, PNG или DOCX)",
                           required=False)


# --- organizer and jury pages (views/contest_organizer.py, views/contest_jury.py) -------------

DIPLOMA_TYPES = ("docx",)
POINTS_STEP = 0.5


class CommaFloatField(forms.FloatField):
    """A number as people type it: «1,5» as well as «1.5»."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class ContestForm(RussianErrorsMixin, forms.ModelForm):
    """A contest's set-up. The rules (dates in order, a frozen contest unchanged) are the
    service's; the form only reads the values."""

    confirming = forms.ModelMultipleChoiceField(
        label="Организации, которые подтверждают заявки своих первичных организаций",
        queryset=Organization.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Заявка организации, входящей в отмеченную, попадёт к жюри только после "
                  "подтверждения её редактором отмеченной организации.")
    disagreement_share = CommaFloatField(
        label="Порог расхождения экспертов", initial=0.3,
        widget=forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.05,
                                        "inputmode": "decimal"}),
        help_text="Доля баллов критерия от 0 до 1: например, 0,3 — если оценки экспертов "
                  "расходятся больше чем на 30 % баллов критерия, заявка отмечается для "
                  "организатора.")

    class Meta:
        model = Contest
        fields = ["title", "year", "methodology", "period_start", "period_end",
                  "applications_from", "applications_until", "evaluation_until",
                  "interaction_until", "results_on", "advance_by_dates", "publicity",
                  "tie_rule", "normalize_jury", "disagreement_share", "commission",
                  "diploma_template", "is_example"]
        widgets = {name: DATE_INPUT for name in (
            "period_start", "period_end", "applications_from", "applications_until",
            "evaluation_until", "interaction_until", "results_on")}
        widgets["commission"] = forms.Textarea(attrs={"rows": 4})
        widgets["year"] = forms.NumberInput(attrs={"min": 2000, "max": 2100})
        help_texts = {
            "methodology": "По какой методике оцениваются участники. Если оставить пустым, "
                           "возьмётся методика года смотра (её нет — она будет создана "
                           "копией последней).",
            "diploma_template": "Документ Word (DOCX), по которому печатаются дипломы.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["methodology"].required = False
        self.fields["methodology"].queryset = Methodology.objects.order_by("-year")
        self.fields["methodology"].empty_label = "— методика года смотра —"
        self.fields["year"].min_value = 2000
        self.fields["disagreement_share"].error_messages["invalid"] = (
            "Введите долю числом от 0 до 1, например 0,3.")
        current = (list(self.instance.confirming.values_list("organization_id", flat=True))
                   if self.instance.pk else [])
        self.fields["confirming"].queryset = Organization.objects.filter(
            Q(level=Level.TERRITORIAL, is_active=True) | Q(pk__in=current)).order_by("name")
        self.fields["confirming"].initial = current
        self.fields["confirming"].error_messages["invalid_choice"] = (
            "Выберите организации из списка.")

    def clean_disagreement_share(self):
        share = self.cleaned_data.get("disagreement_share")
        if share is not None and not 0 <= share <= 1:
            raise forms.ValidationError("Порог расхождения — доля от 0 до 1, например 0,3.")
        return share

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError("Год смотра — четыре цифры, например 2025.")
        return year

    def clean_diploma_template(self):
        upload = self.cleaned_data.get("diploma_template")
        if not upload or not hasattr(upload, "read") or getattr(upload, "_committed", False):
            return upload  # nothing new: the template already kept (or none, or cleared)
        name = upload.name or ""
        if name.rsplit(".", 1)[-1].lower() not in DIPLOMA_TYPES:
            raise forms.ValidationError("Шаблон диплома — документ Word в формате DOCX.")
        head = upload.read(16)
        upload.seek(0)
        refusal = attachment_refusal(name, upload.size, head)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


class NominationForm(RussianErrorsMixin, forms.ModelForm):
    blocks = forms.MultipleChoiceField(
        label="Блоки методики", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Что оценивается в номинации. Ничего не отмечено — все блоки.")
    resource_kind = forms.ChoiceField(
        label="Что оценивается", required=False,
        choices=[("", "вся информационная работа"), *Kind.choices],
        help_text="Если выбран вид ресурса, участвовать могут только организации, у которых "
                  "в реестре есть такой ресурс.")

    class Meta:
        model = Nomination
        fields = ["title", "level", "members_from", "members_to", "resource_kind", "blocks",
                  "places", "order"]
        widgets = {"members_from": forms.NumberInput(attrs={"min": 0}),
                   "members_to": forms.NumberInput(attrs={"min": 0}),
                   "places": forms.NumberInput(attrs={"min": 1}),
                   "order": forms.NumberInput(attrs={"min": 0})}
        help_texts = {"members_from": "Пусто — без нижней границы.",
                      "members_to": "Пусто — без верхней границы.",
                      "order": "Номинации показываются по возрастанию этого числа."}

    def __init__(self, *args, methodology, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "любой"), *Level.choices]
        self.fields["blocks"].choices = list(methodology.blocks.order_by("order", "pk")
                                             .values_list("code", "title"))
        self.initial["blocks"] = self.instance.block_codes
        self.order_fields(self.Meta.fields)

    def clean_blocks(self):
        return ",".join(self.cleaned_data.get("blocks") or [])


class StageForm(RussianErrorsMixin, forms.Form):
    stage = forms.ChoiceField(label="Этап", choices=Stage.choices)
    reason = forms.CharField(label="Причина", required=False, max_length=2000)


class ReopenForm(RussianErrorsMixin, forms.Form):
    reason = forms.CharField(label="Почему смотр открывается заново", required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(RussianErrorsMixin, forms.Form):
    expert = forms.ModelChoiceField(label="Эксперт", queryset=None,
                                    empty_label="— выберите эксперта —")

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = (
            lambda user: user.get_full_name() or user.get_username())
        self.fields["expert"].error_messages["invalid_choice"] = (
            "Выберите эксперта из списка: у этого пользователя нет роли «Эксперт (жюри)».")


class DistributeForm(RussianErrorsMixin, forms.Form):
    per_application = forms.IntegerField(
        label="Экспертов на заявку", initial=2, min_value=1, max_value=10,
        widget=forms.NumberInput(attrs={"min": 1, "max": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["per_application"]
        field.error_messages["min_value"] = field.error_messages["max_value"] = (
            "Экспертов на заявку — от 1 до 10.")


def points_field(label: str, top: float, *, required: bool = True) -> CommaFloatField:
    field = CommaFloatField(label=label, required=required, min_value=0, max_value=top,
                        step_size=POINTS_STEP,
                        widget=forms.NumberInput(attrs={"min": 0, "max": f"{top:g}",
                                                        "step": POINTS_STEP,
                                                        "inputmode": "decimal"}))
    field.error_messages.update({
        "required": f"«{label}»: поставьте балл.",
        "invalid": f"«{label}»: балл — число, например 1 или 1,5.",
        "min_value": f"«{label}»: балл от 0 до {top:g}.",
        "max_value": f"«{label}»: балл от 0 до {top:g}.",
        "step_size": f"«{label}»: балл ставится с шагом 0,5 (например, 1 или 1,5)."})
    return field


class MarksForm(forms.Form):
    """Per jury criterion: points (0 … the criterion's, step 0.5) and a comment. That a lower
    mark needs a comment is the service's rule; the form only reads."""

    def __init__(self, *args, criteria, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"points_{criterion.pk}"] = points_field(criterion.title,
                                                                 criterion.points)
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label="Комментарий", required=False, max_length=COMMENT_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Обязателен, если балл ниже наибольшего: участник увидит, "
                          "чего не хватило.",
                error_messages={"max_length": f"Комментарий длиннее {COMMENT_MAX_CHARS} "
                                              "знаков: сократите его."})
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    @staticmethod
    def initial_from(marks) -> dict:
        initial = {}
        for criterion_id, mark in marks.items():
            initial[f"points_{criterion_id}"] = f"{mark.points:g}"
            initial[f"comment_{criterion_id}"] = mark.comment
        return initial

    def rows(self):
        """(criterion, its points field, its comment field) for the template."""
        return [(c, self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def marks(self) -> dict[int, tuple[float, str]]:
        return {c.pk: (self.cleaned_data[f"points_{c.pk}"],
                       self.cleaned_data.get(f"comment_{c.pk}", ""))
                for c in self.criteria}


class DisputeAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="Решение", widget=forms.RadioSelect,
        choices=[("accept", "принять: поставить новый балл"),
                 ("reject", "отклонить: балл остаётся")],
        error_messages={"required": "Выберите решение: принять или отклонить.",
                        "invalid_choice": "Выберите решение: принять или отклонить."})
    points = CommaFloatField(label="Новый балл", required=False, min_value=0,
                         widget=forms.NumberInput(attrs={"min": 0, "step": POINTS_STEP,
                                                         "inputmode": "decimal"}),
                         error_messages={"invalid": "Новый балл — число, например 1 или 1,5.",
                                         "min_value": "Балл не может быть отрицательным."})
    answer = forms.CharField(label="Ответ участнику", required=False,
                             max_length=COMMENT_MAX_CHARS,
                             widget=forms.Textarea(attrs={"rows": 2}))
