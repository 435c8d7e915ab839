"""Forms of the contest's pages. Every message a person sees is a Russian sentence."""

from __future__ import annotations

from django import forms

from .forms import RussianErrorsMixin

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


class ParticipantAttachmentForm(RussianErrorsMixin, forms.Form):
    title = forms.CharField(label="Что в файле", max_length=300,
                            help_text="Например: «Бюллетень, № 3, 2021».")
    file = forms.FileField(label="Файл (PDF, JPEG, PNG или DOCX)")


class ParticipantDisputeForm(RussianErrorsMixin, forms.Form):
    """An objection to the score of one criterion (the page shows one per criterion, each
    with the criterion's id as its prefix)."""

    comment = forms.CharField(label="С чем вы не согласны и почему", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="Подтверждающий файл (PDF, JPEG, PNG или DOCX)",
                           required=False)
