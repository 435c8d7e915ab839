"""The organizer's contest pages: the list of contests, a contest's set-up, its stages,
nominations, applications with their experts, and the jury's progress.

Organizers are the administrators of the whole tree (services.is_organizer). Another role on
an organizer's page is 403; a year, an application or a nomination not of the contest is 404.
Every write is a service's, which refuses with a Russian sentence before writing anything."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from profinfo.contest import results, selectors, services
from profinfo.contest.models import STAGE_ORDER, ApplicationState, Contest, Nomination, Stage
from profinfo.contest.services import ContestRefused
from profinfo.evaluation.defaults import methodology_of_year
from profinfo.evaluation.models import Methodology

from ..contest_forms import (
    AssignForm,
    ContestForm,
    DisputeAnswerForm,
    DistributeForm,
    NominationForm,
    ReopenForm,
    StageForm,
)
from ..forms import add_service_errors
from .access import member_required, scope, search_text

ORGANIZERS_ONLY = ("Эта страница — для организаторов смотра-конкурса: администраторов "
                   "центрального комитета.")
DEFAULT_TITLE = "Смотр-конкурс на лучшую организацию информационной работы"
PAGE_SIZE = 50
REFUSALS_SHOWN = 50
SHORT_SHOWN = 30


# --- helpers shared with the jury's pages -----------------------------------------------------

def contest_or_404(year: int) -> Contest:
    contest = selectors.participant_contest(year)
    if contest is None:
        raise Http404("Смотр-конкурс этого года не найден.")
    return contest


def organizer_scope(request):
    user_scope = scope(request)
    if not services.is_organizer(user_scope):
        raise PermissionDenied(ORGANIZERS_ONLY)
    return user_scope


def link(name: str, *args) -> str | None:
    """The address of a page another module registers, or None while it is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def refusal_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def next_or(request, fallback: str) -> str:
    """Where a form asked to return (a contest page of this site only), else the fallback."""
    target = request.POST.get("next", "")
    if target.startswith("/contest/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def form_errors_text(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def with_file_links(contest, disputes) -> list:
    """Disputes, each with the address of its file (None without one)."""
    disputes = list(disputes)
    for dispute in disputes:
        dispute.file_url = (link("contest-dispute-file", contest.year, dispute.pk)
                            if dispute.file else None)
    return disputes


# --- every member -----------------------------------------------------------------------------

@member_required
def contest_list(request):
    user_scope = scope(request)
    contests = list(selectors.contests_listed())
    for contest in contests:
        contest.apply_url = (link("contest-apply", contest.year)
                             if user_scope.can_write_anything
                             and selectors.applications_open(contest) else None)
    return render(request, "web/contest/contest_list.html", {
        "nav": "contest", "contests": contests,
        "is_organizer": services.is_organizer(user_scope),
        "is_expert": services.is_expert(user_scope)})


@member_required
def contest_detail(request, year):
    contest = contest_or_404(year)
    user_scope = scope(request)
    organizer = services.is_organizer(user_scope)
    context = {
        "nav": "contest", "contest": contest, "stages": selectors.stage_line(contest),
        "nominations": selectors.nominations_described(contest),
        "tie_rule_text": results.TIE_RULE_TEXT.get(contest.tie_rule, ""),
        "prize_rule_text": results.PRIZE_RULE_TEXT,
        "normalization_text": results.NORMALIZATION_TEXT if contest.normalize_jury else "",
        "is_organizer": organizer, "is_expert": services.is_expert(user_scope),
        "apply_url": (link("contest-apply", contest.year)
                      if user_scope.can_write_anything and selectors.applications_open(contest)
                      else None),
        "public_url": (link("contest-public", contest.year)
                       if contest.stage == Stage.PUBLISHED else None),
        "commission": [line.strip() for line in contest.commission.splitlines()
                       if line.strip()],
    }
    if organizer:
        following = STAGE_ORDER[contest.stage_index() + 1:contest.stage_index() + 2]
        disputes = selectors.open_disputes(contest)
        context.update(
            stage_form=StageForm(initial={"stage": following[0] if following
                                          else contest.stage}),
            next_stage=Stage(following[0]).label if following else "",
            next_stage_value=following[0] if following else "",
            reopen_form=ReopenForm(), events=selectors.contest_events(contest),
            summary=selectors.jury_summary(contest),
            disputes=with_file_links(contest, disputes[:PAGE_SIZE]),
            disputes_count=disputes.count(),
            answer_form=DisputeAnswerForm(),
            may_change_nominations=not contest.stage_reached(Stage.EVALUATION),
            documents=[(title, url) for title, url in (
                ("Протокол (Word)", link("contest-protocol", contest.year)),
                ("Дипломы (архив ZIP)", link("contest-diplomas", contest.year)),
                ("Итоги (Excel)", link("contest-export", contest.year, "xlsx")),
                ("Итоги (CSV)", link("contest-export", contest.year, "csv")),
            ) if url])
    return render(request, "web/contest/contest_detail.html", context)


# --- set-up -----------------------------------------------------------------------------------

@member_required
def contest_create(request):
    return _contest_form(request, None)


@member_required
def contest_edit(request, year):
    organizer_scope(request)
    return _contest_form(request, contest_or_404(year))


def _contest_form(request, contest: Contest | None):
    user_scope = organizer_scope(request)
    initial = {}
    if contest is None:
        year = timezone.localdate().year
        initial = {"year": year, "title": DEFAULT_TITLE,
                   "methodology": Methodology.objects.filter(year=year).first()}
    form = ContestForm(request.POST or None, request.FILES or None,
                       instance=contest or Contest(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a refusal undoes the methodology copy as well
                saved = form.save(commit=False)
                if form.cleaned_data.get("methodology") is None:
                    saved.methodology = methodology_of_year(saved.year)
                saved = services.contest_save(saved, scope=user_scope, user=request.user)
                services.confirming_set(saved, form.cleaned_data["confirming"],
                                        scope=user_scope)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Смотр-конкурс {saved.year} года сохранён.")
            return redirect("contest-detail", year=saved.year)
    if contest is None:
        title, cancel = "Новый смотр-конкурс", reverse("contest-list")
    else:
        title = f"Настройки смотра-конкурса {contest.year} года"
        cancel = reverse("contest-detail", args=[contest.year])
    return render(request, "web/contest/organizer_form.html", {
        "nav": "contest", "form": form, "title": title, "cancel_url": cancel,
        "multipart": True, "contest": contest,
        "subtitle": "Даты этапов идут по порядку: приём заявок, оценка, взаимодействие с "
                    "участниками, подведение итогов. Методика смотра после сохранения "
                    "утверждается: изменить её баллы уже нельзя."})


@member_required
def nomination_create(request, year):
    return _nomination_form(request, year, None)


@member_required
def nomination_edit(request, year, pk):
    return _nomination_form(request, year, pk)


def _nomination_form(request, year: int, pk: int | None):
    user_scope = organizer_scope(request)
    contest = contest_or_404(year)
    nomination = (get_object_or_404(Nomination, pk=pk, contest=contest) if pk
                  else Nomination(contest=contest))
    form = NominationForm(request.POST or None, instance=nomination,
                          methodology=contest.methodology)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.nomination_save(form.save(commit=False), scope=user_scope)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Номинация «{saved.title}» сохранена.")
            return redirect("contest-detail", year=contest.year)
    return render(request, "web/contest/organizer_form.html", {
        "nav": "contest", "form": form, "contest": contest,
        "title": f"Номинация: {nomination.title}" if pk else "Новая номинация",
        "cancel_url": reverse("contest-detail", args=[contest.year])})


# --- stages -----------------------------------------------------------------------------------

@member_required
@require_POST
def contest_stage(request, year):
    user_scope = organizer_scope(request)
    contest = contest_or_404(year)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("contest-detail", year=year)
    try:
        services.stage_set(contest, form.cleaned_data["stage"], scope=user_scope,
                           user=request.user, reason=form.cleaned_data["reason"])
    except ContestRefused as error:
        messages.error(request, refusal_text(error))
    else:
        contest.refresh_from_db()
        messages.success(request, f"Смотр-конкурс на этапе «{contest.get_stage_display()}»."
                         + (" Итоги зафиксированы." if contest.is_frozen else ""))
    return redirect("contest-detail", year=year)


@member_required
@require_POST
def contest_reopen(request, year):
    user_scope = organizer_scope(request)
    contest = contest_or_404(year)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.results_reopen(contest, scope=user_scope, user=request.user, reason=reason)
    except ContestRefused as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, "Смотр открыт заново: итоги отменены, этап "
                                  "«взаимодействие». Причина записана в журнал.")
    return redirect("contest-detail", year=year)


# --- applications and experts -----------------------------------------------------------------

@member_required
def contest_applications(request, year):
    organizer_scope(request)
    contest = contest_or_404(year)
    nominations = list(contest.nominations.all())
    chosen = request.GET.get("nomination", "")
    nomination = next((n for n in nominations if str(n.pk) == chosen), None)
    state = request.GET.get("state", "")
    state = state if state in ApplicationState.values else ""
    text = search_text(request)
    found = selectors.organizer_applications(contest, nomination=nomination, state=state,
                                             text=text)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    jury = selectors.assignments_by_application([a.pk for a in page])
    flags = selectors.disagreements_of(contest)
    for application in page:
        application.jury = jury.get(application.pk, [])
        application.disagreement = flags.get(application.pk, [])
    refusals = selectors.conflict_refusals(contest)
    return render(request, "web/contest/organizer_applications.html", {
        "nav": "contest", "contest": contest, "page": page, "nominations": nominations,
        "nomination": nomination, "state": state, "states": ApplicationState.choices,
        "q": text, "refusals": list(refusals[:REFUSALS_SHOWN]),
        "refusals_count": refusals.count(), "distribute_form": DistributeForm(),
        "may_assign": not (contest.is_frozen or contest.stage_reached(Stage.INTERACTION)),
        "experts_count": selectors.experts().count()})


@member_required
def contest_assign(request, year, pk):
    """GET: the organizer's page of one application (its experts and their marks, a form to
    add an expert); POST: add the expert chosen."""
    user_scope = organizer_scope(request)
    contest = contest_or_404(year)
    application = selectors.participant_application(contest, pk)
    if application is None:
        raise Http404("Заявка не найдена.")
    form = AssignForm(request.POST or None, experts=selectors.experts())
    here = reverse("contest-assign", args=[contest.year, application.pk])
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return redirect(here)
        expert = form.cleaned_data["expert"]
        try:
            services.assignment_add(application, expert, scope=user_scope, user=request.user)
        except ContestRefused as error:
            messages.error(request, refusal_text(error))
            return redirect(here)
        messages.success(request, f"Эксперт «{selectors.person_name(expert)}» назначен на "
                                  f"заявку «{application.organization.display_name}».")
        return redirect(next_or(request, here))
    flags = selectors.disagreements_of(contest)
    return render(request, "web/contest/organizer_application.html", {
        "nav": "contest", "contest": contest, "application": application,
        "jury": selectors.application_jury(application),
        "criteria": services.jury_criteria(application.nomination),
        "answers": application_answers(application),
        "attachments": attachment_links(contest, application),
        "experts": [e for e in selectors.expert_lines(contest) if e.has_role],
        "refusals": list(selectors.conflict_refusals(contest).filter(
            application=application)[:REFUSALS_SHOWN]),
        "disagreement": flags.get(application.pk, []),
        "may_assign": not (contest.is_frozen or contest.stage_reached(Stage.INTERACTION)),
        "application_url": link("contest-application", contest.year, application.pk)})


def application_answers(application, criteria=None) -> list[tuple[str, str]]:
    """(jury criterion, the applicant's answer) in the order of the methodology; `criteria`:
    the nomination's jury criteria when the caller has them."""
    if criteria is None:
        criteria = services.jury_criteria(application.nomination)
    return [(c.title, str(application.answers.get(results.criterion_key(c), "")))
            for c in criteria]


def attachment_links(contest, application) -> list[tuple[object, str | None]]:
    return [(a, link("contest-attachment", contest.year, a.pk))
            for a in selectors.application_attachments(application)]


@member_required
@require_POST
def contest_distribute(request, year):
    user_scope = organizer_scope(request)
    contest = contest_or_404(year)
    form = DistributeForm(request.POST)
    back = reverse("contest-applications", args=[contest.year])
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)
    try:
        made, short = services.assignments_distribute(
            contest, list(selectors.experts()), form.cleaned_data["per_application"],
            scope=user_scope, user=request.user)
    except ContestRefused as error:
        messages.error(request, refusal_text(error))
        return redirect(back)
    messages.success(request, f"Назначений сделано: {made}.")
    if short:
        listed = "; ".join(short[:SHORT_SHOWN])
        more = len(short) - SHORT_SHOWN
        messages.warning(request, f"Не хватило экспертов без конфликта интересов для заявок: "
                                  f"{len(short)}. {listed}"
                                  + (f"; и ещё {more}." if more > 0 else "."))
    return redirect(back)


@member_required
def contest_jury_progress(request, year):
    organizer_scope(request)
    contest = contest_or_404(year)
    flags = selectors.disagreements_of(contest)
    return render(request, "web/contest/organizer_jury_progress.html", {
        "nav": "contest", "contest": contest, "summary": selectors.jury_summary(contest),
        "experts": selectors.expert_lines(contest),
        "nominations": selectors.nomination_progress(contest),
        "disagreements": selectors.disagreement_lines(flags), "disagreements_count": len(flags),
        "shown_limit": 200})


urls = [
    path("contest/", contest_list, name="contest-list"),
    path("contest/new/", contest_create, name="contest-create"),
    path("contest/<int:year>/", contest_detail, name="contest-detail"),
    path("contest/<int:year>/edit/", contest_edit, name="contest-edit"),
    path("contest/<int:year>/stage/", contest_stage, name="contest-stage"),
    path("contest/<int:year>/reopen/", contest_reopen, name="contest-reopen"),
    path("contest/<int:year>/nominations/new/", nomination_create, name="nomination-create"),
    path("contest/<int:year>/nominations/<int:pk>/", nomination_edit, name="nomination-edit"),
    path("contest/<int:year>/applications/", contest_applications,
         name="contest-applications"),
    path("contest/<int:year>/applications/<int:pk>/assign/", contest_assign,
         name="contest-assign"),
    path("contest/<int:year>/distribute/", contest_distribute, name="contest-distribute"),
    path("contest/<int:year>/jury-progress/", contest_jury_progress,
         name="contest-jury-progress"),
]
