"""The participant's contest pages: applying, the анкета with its attachments, the standing
with the rank among all participants and disputes, and the published results (no login).

Reads outside the user's reach are 404, a wrong role 403; every write is a service's, which
refuses with a Russian sentence and writes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from profinfo.contest import selectors, services
from profinfo.contest.models import ApplicationState, Publicity, Stage
from profinfo.contest.results import criterion_key
from profinfo.organizations.selectors import organizations_editable

from ..contest_forms import (
    ORGANIZATION_CHOICES_SHOWN,
    ParticipantAnswersForm,
    ParticipantApplyForm,
    ParticipantAttachmentForm,
    ParticipantDisputeForm,
)
from .access import member_required, scope, search_text
from .resources import _file_response

NOT_EDITOR = "Заявку на смотр-конкурс подают и меняют редакторы организации."
NOT_CONFIRMER = "Подтверждают заявку редакторы вышестоящей организации."
NOT_DISPUTER = "Оспорить оценку может редактор организации, подавшей заявку."
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.WITHDRAWN)


def _contest(year: int):
    contest = selectors.participant_contest(year)
    if contest is None:
        raise Http404("Смотр-конкурс не найден.")
    return contest


def _application(request, contest, pk: int):
    application = selectors.participant_application(contest, pk)
    if application is None or not selectors.application_readable(
            application, scope(request), request.user):
        raise Http404("Заявка не найдена.")
    return application


def _back(application):
    return redirect("contest-application", year=application.nomination.contest.year,
                    pk=application.pk)


# --- applying ---------------------------------------------------------------------------------

@member_required
def apply(request, year):
    contest = _contest(year)
    user_scope = scope(request)
    if not user_scope.can_write_anything:
        raise PermissionDenied(NOT_EDITOR)
    editable = organizations_editable(user_scope)
    text = search_text(request)
    offered = editable.filter(is_active=True).order_by("path")
    if text:
        offered = offered.filter(search_text__contains=text.casefold())
    shown = list(offered[:ORGANIZATION_CHOICES_SHOWN + 1])
    more = len(shown) > ORGANIZATION_CHOICES_SHOWN
    shown = shown[:ORGANIZATION_CHOICES_SHOWN]
    chosen = request.POST.get("organization", "")
    if chosen.isdigit() and all(o.pk != int(chosen) for o in shown):
        shown[:0] = editable.filter(pk=int(chosen))  # chosen from a list since narrowed
    nominations = contest.nominations.all()
    initial = {"organization": shown[0].pk} if len(shown) == 1 and not text else {}
    form = ParticipantApplyForm(request.POST or None, initial=initial, organizations=editable,
                                shown=shown, nominations=nominations)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        try:
            application = services.application_create(
                nomination=form.cleaned_data["nomination"], organization=organization,
                scope=user_scope, user=request.user)
        except services.ContestRefused as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Заявка «{organization.name}» в номинации "
                                      f"«{application.nomination.title}» создана. Заполните "
                                      "анкету и подайте её.")
            return redirect("contest-application", year=year, pk=application.pk)
    return render(request, "web/contest/participant_apply.html", {
        "nav": "contest", "contest": contest, "form": form, "q": text, "more": more,
        "shown_count": len(shown),
        "nominations": selectors.nominations_described(contest),
        "is_open": selectors.applications_open(contest),
        "mine": selectors.applications_in_scope(contest, user_scope)[:100],
    })


# --- the анкета -------------------------------------------------------------------------------

@member_required
def application_page(request, year, pk):
    contest = _contest(year)
    application = _application(request, contest, pk)
    user_scope = scope(request)
    may_edit = user_scope.can_edit(application.organization)
    confirmer = services.confirmer_for(application)
    may_confirm = (application.state == ApplicationState.AWAITING and confirmer is not None
                   and (user_scope.can_edit(confirmer) or services.is_organizer(user_scope)))
    criteria = [(c, criterion_key(c)) for c in services.jury_criteria(application.nomination)]
    answers_form = ParticipantAnswersForm(
        initial=ParticipantAnswersForm.initial_from(application, criteria), criteria=criteria,
        answers_max=services.ANSWER_MAX_CHARS)
    attachment_form = ParticipantAttachmentForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "confirm":
            if confirmer is None or not (user_scope.can_edit(confirmer)
                                         or services.is_organizer(user_scope)):
                raise PermissionDenied(NOT_CONFIRMER)
            return _act(request, application, services.application_confirm,
                        "Заявка подтверждена: она передана жюри.")
        if not may_edit:
            raise PermissionDenied(NOT_EDITOR)
        if action == "withdraw":
            return _act(request, application, services.application_withdraw,
                        "Заявка отозвана. Её можно исправить и подать снова, пока идёт приём "
                        "заявок.")
        if action in ("save", "submit"):
            answers_form = ParticipantAnswersForm(request.POST, criteria=criteria,
                                                  answers_max=services.ANSWER_MAX_CHARS)
            if answers_form.is_valid() and _save_answers(request, application, answers_form,
                                                         submit=action == "submit"):
                return _back(application)
        elif action == "attach":
            attachment_form = ParticipantAttachmentForm(request.POST, request.FILES)
            if "contact" in request.POST:  # the анкета came along: its text is kept first
                answers_form = ParticipantAnswersForm(request.POST, criteria=criteria,
                                                      answers_max=services.ANSWER_MAX_CHARS)
                if not (answers_form.is_valid()
                        and _save_answers(request, application, answers_form, submit=False)):
                    attachment_form = ParticipantAttachmentForm()
            if attachment_form.is_bound and attachment_form.is_valid():
                try:
                    services.attachment_add(application,
                                            title=attachment_form.cleaned_data["title"],
                                            upload=attachment_form.cleaned_data["file"],
                                            scope=user_scope, user=request.user)
                except services.ContestRefused as exc:
                    attachment_form.add_error("file", exc)
                else:
                    messages.success(request, "Файл приложен к заявке.")
                    return _back(application)
        else:
            messages.error(request, "Неизвестное действие: обновите страницу и повторите.")
            return _back(application)
    is_open = selectors.applications_open(contest)
    resources, auto_criteria = selectors.prefill_view(application.prefill)
    return render(request, "web/contest/participant_application.html", {
        "nav": "contest", "contest": contest, "application": application,
        "org": application.organization, "nomination": application.nomination,
        "can_read_org": user_scope.can_read(application.organization),
        "editable": may_edit and is_open and application.state in EDITABLE_STATES,
        "may_withdraw": (may_edit and contest.stage == Stage.APPLICATIONS
                         and application.state != ApplicationState.WITHDRAWN),
        "may_confirm": may_confirm and not contest.stage_reached(Stage.INTERACTION),
        "confirmer": confirmer, "is_open": is_open,
        "answers_form": answers_form, "attachment_form": attachment_form,
        "answers": [(c.title, application.answers.get(key, "")) for c, key in criteria],
        "resources": resources, "auto_criteria": auto_criteria,
        "attachments": application.attachments.all(),
        "attachment_max_mb": services.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "results_from": contest.stage_reached(Stage.INTERACTION),
    })


def _act(request, application, service, done: str):
    try:
        service(application, scope=scope(request), user=request.user)
    except services.ContestRefused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return _back(application)


def _save_answers(request, application, form, *, submit: bool) -> bool:
    """Save the answers and, when asked, submit: both or nothing."""
    user_scope = scope(request)
    try:
        with transaction.atomic():
            services.application_update(application, answers=form.answers(),
                                        contact=form.cleaned_data["contact"], scope=user_scope)
            if submit:
                services.application_submit(application, scope=user_scope, user=request.user)
    except services.ContestRefused as exc:
        application.refresh_from_db()
        form.add_error(None, exc)
        return False
    if not submit:
        messages.success(request, "Черновик заявки сохранён.")
    elif application.state == ApplicationState.AWAITING:
        confirmer = services.confirmer_for(application)
        messages.success(request, "Заявка подана. Теперь её должна подтвердить вышестоящая "
                                  f"организация — «{confirmer.name}».")
    else:
        messages.success(request, "Заявка подана и передана жюри.")
    return True


# --- files ------------------------------------------------------------------------------------

@member_required
def attachment_file(request, year, pk):
    contest = _contest(year)
    attachment = selectors.participant_attachment(contest, pk)
    if attachment is None or not selectors.application_readable(
            attachment.application, scope(request), request.user):
        raise Http404("Файл не найден.")
    return _file_response(attachment.file)


@member_required
def dispute_file(request, year, pk):
    contest = _contest(year)
    dispute = selectors.participant_dispute(contest, pk)
    if dispute is None or not selectors.application_readable(
            dispute.application, scope(request), request.user):
        raise Http404("Файл не найден.")
    return _file_response(dispute.file)


# --- results and disputes ---------------------------------------------------------------------

@member_required
def standing(request, year, pk):
    contest = _contest(year)
    application = _application(request, contest, pk)
    nomination = application.nomination
    user_scope = scope(request)
    may_edit = user_scope.can_edit(application.organization)
    disputes_open = (contest.stage == Stage.INTERACTION and not contest.is_frozen
                     and application.state == ApplicationState.SUBMITTED)
    criteria = selectors.nomination_criteria_of(contest, nomination)
    forms = {c.pk: ParticipantDisputeForm(prefix=f"c{c.pk}") for c in criteria} \
        if disputes_open and may_edit else {}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(NOT_DISPUTER)
        criterion = next((c for c in criteria if str(c.pk) == request.POST.get("criterion")),
                         None)
        if criterion is None:
            messages.error(request, "Этого критерия нет в номинации.")
            return redirect("contest-standing", year=year, pk=application.pk)
        form = ParticipantDisputeForm(request.POST, request.FILES, prefix=f"c{criterion.pk}")
        if form.is_valid():
            try:
                services.dispute_open(application, criterion,
                                      comment=form.cleaned_data["comment"],
                                      upload=form.cleaned_data["file"] or None,
                                      scope=user_scope, user=request.user)
            except services.ContestRefused as exc:
                if criterion.pk not in forms:  # the page shows no form to put it on
                    messages.error(request, " ".join(exc.messages))
                    return redirect("contest-standing", year=year, pk=application.pk)
                form.add_error(None, exc)
            else:
                messages.success(request, f"Возражение по критерию «{criterion.title}» "
                                          "отправлено. Ответ появится на этой странице.")
                return redirect("contest-standing", year=year, pk=application.pk)
        elif criterion.pk not in forms:
            messages.error(request, "Оспорить оценку можно только на этапе «взаимодействие».")
            return redirect("contest-standing", year=year, pk=application.pk)
        forms[criterion.pk] = form
    results = selectors.nomination_results(contest, nomination)
    mine, table, lines = None, [], []
    if results is not None:
        mine = next((r for r in results.rows if r.application_id == application.pk), None)
        table = _table(results.rows, application, contest.publicity == Publicity.NAMES)
        source = application.prefill if results.final else services.prefill(
            nomination, application.organization)
        evidence = {c["key"]: c.get("evidence") or "" for c in source.get("criteria", [])}
        lines = selectors.criterion_lines(criteria, mine, evidence,
                                          selectors.expert_comments(application))
        for line in lines:
            line.form = forms.get(line.criterion.pk)
    return render(request, "web/contest/participant_standing.html", {
        "nav": "contest", "contest": contest, "application": application,
        "org": application.organization, "nomination": nomination,
        "can_read_org": user_scope.can_read(application.organization),
        "results": results, "mine": mine, "table": table, "lines": lines,
        "participants": len(results.rows) if results else 0,
        "disputes_open": disputes_open and may_edit,
        "disputes": selectors.application_disputes(application),
    })


def _table(rows, application, names: bool) -> list[dict]:
    """The nomination's participants, best first: other organizations by name only when the
    contest says participants see each other's names, else «Участник N»."""
    table = []
    for number, row in enumerate(rows, start=1):
        own = row.application_id == application.pk
        if own:
            label = application.organization.name
        elif names:
            label = row.organization_name
        else:
            label = f"Участник {number}"
        table.append({"place": row.place, "label": label, "total": row.total,
                      "maximum": row.maximum, "own": own})
    return table


# --- the published results (no login) ---------------------------------------------------------

def public_results(request, year):
    contest = selectors.participant_contest(year)
    if contest is None or contest.stage != Stage.PUBLISHED:
        raise Http404("Итоги этого смотра-конкурса не опубликованы.")
    snapshot, nominations = selectors.public_results(contest)
    return render(request, "web/contest/public_results.html", {
        "nav": "contest-public", "contest": contest, "snapshot": snapshot,
        "nominations": nominations,
    })


urls = [
    path("contest/<int:year>/apply/", apply, name="contest-apply"),
    path("contest/<int:year>/applications/<int:pk>/", application_page,
         name="contest-application"),
    path("contest/<int:year>/applications/<int:pk>/results/", standing,
         name="contest-standing"),
    path("contest/<int:year>/attachments/<int:pk>/", attachment_file,
         name="contest-attachment"),
    path("contest/<int:year>/disputes/<int:pk>/file/", dispute_file,
         name="contest-dispute-file"),
    path("contest/<int:year>/results/", public_results, name="contest-public"),
]
