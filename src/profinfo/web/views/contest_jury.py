"""The jury's contest pages: an expert's queue of applications, the scoring page of one, and
the answer to a participant's dispute (the organizers answer too).

Made for a federation (20,000 applications, 300 experts, ~330 assignments each): every list
is paginated and read in a fixed number of queries. Another expert's assignment is 404;
a user without the expert role gets 403. Marks and answers are written by the services only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from profinfo.contest import selectors, services
from profinfo.contest.models import ApplicationState, Stage
from profinfo.contest.services import ContestRefused

from ..contest_forms import DisputeAnswerForm, MarksForm
from .access import member_required, scope
from .contest_organizer import (
    application_answers,
    attachment_links,
    contest_or_404,
    form_errors_text,
    next_or,
    refusal_text,
    with_file_links,
)

EXPERTS_ONLY = "Эта страница — для экспертов жюри смотра-конкурса."
ANSWERING_ONLY = "На возражения участников отвечают организаторы смотра и эксперты жюри."
PAGE_SIZE = 25  # an expert works down the unscored first; 25 lines keep the page quick
DISPUTES_SHOWN = 50


def _expert_scope(request):
    user_scope = scope(request)
    if not services.is_expert(user_scope):
        raise PermissionDenied(EXPERTS_ONLY)
    return user_scope


def _own_assignment(request, year, pk):
    """The expert's own assignment in the contest of the year (403 for a non-expert, 404
    for anyone else's or another year's)."""
    _expert_scope(request)
    assignment = selectors.expert_assignment(year, request.user, pk)
    if assignment is None:
        raise Http404("Такой заявки среди назначенных вам нет.")
    return assignment


def scoring_refusal(contest, application) -> str:
    """Why marks cannot be given now (the services' sentence), or an empty string."""
    if contest.stage != Stage.EVALUATION:
        return (f"Оценки ставят на этапе «оценка»; сейчас — «{contest.get_stage_display()}». "
                "Страница открыта только для просмотра.")
    if application.state != ApplicationState.SUBMITTED:
        return "Заявка отозвана: оценивать её не нужно."
    return ""


@member_required
def jury_queue(request, year):
    _expert_scope(request)
    contest = contest_or_404(year)
    counts = selectors.expert_counts(contest, request.user)
    paginator = Paginator(selectors.expert_queue_values(contest, request.user), PAGE_SIZE)
    paginator.count = counts["assigned"]  # the same rows, already counted
    page = paginator.get_page(request.GET.get("page"))
    # The scoring pages are jury/<assignment>/ under the queue's address (urls below):
    # one reverse() for the page, not one per line.
    queue_url = reverse("contest-jury-queue", args=[contest.year])
    disputes = []  # disputes are opened in «взаимодействие» only
    if contest.stage in (Stage.INTERACTION, Stage.SUMMING_UP):
        disputes = list(selectors.open_disputes(contest, expert=request.user))
    return render(request, "web/contest/jury_queue.html", {
        "nav": "contest", "contest": contest, "page": page, "counts": counts,
        "rows": [(f"{queue_url}{row.assignment_id}/", row)
                 for row in selectors.queue_rows(page.object_list)],
        "remaining": counts["assigned"] - counts["scored"],
        "scoring_open": contest.stage == Stage.EVALUATION,
        "disputes": with_file_links(contest, disputes[:DISPUTES_SHOWN]),
        "disputes_count": len(disputes),
        "answer_form": DisputeAnswerForm(), "here": request.get_full_path()})


@member_required
def jury_score(request, year, assignment_pk):
    assignment = _own_assignment(request, year, assignment_pk)
    contest = assignment.contest
    application = assignment.application
    criteria = services.jury_criteria(application.nomination)
    refusal = scoring_refusal(contest, application)
    saved = selectors.assignment_marks(assignment)
    here = reverse("contest-jury-score", args=[contest.year, assignment.pk])
    if request.method == "POST":
        form = MarksForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.marks_save(assignment, form.marks(), user=request.user)
            except ContestRefused as error:
                form.add_error(None, refusal_text(error))
            else:
                messages.success(request, "Оценки сохранены.")
                return redirect(here)
    else:
        form = MarksForm(initial=MarksForm.initial_from(saved), criteria=criteria,
                         disabled=bool(refusal))
    resources, automatic = selectors.prefill_view(application.prefill or {})
    return render(request, "web/contest/jury_score.html", {
        "nav": "contest", "contest": contest, "assignment": assignment,
        "application": application, "form": form, "refusal": refusal,
        "answers": application_answers(application, criteria),
        "attachments": attachment_links(contest, application),
        "resources": resources, "automatic": automatic, "saved": bool(saved),
        "next_url": (reverse("contest-jury-next", args=[contest.year])
                     + f"?after={assignment.pk}"),
        "sites_url": reverse("contest-jury-sites", args=[contest.year, assignment.pk])})


@member_required
def jury_next(request, year):
    """The expert's next application waiting for marks (found when asked, so the link on a
    scoring page is never stale), or the queue when none is left."""
    _expert_scope(request)
    contest = contest_or_404(year)
    after = request.GET.get("after", "")
    leaving = int(after) if after.isascii() and after.isdigit() and len(after) <= 18 else None
    following = selectors.next_unscored(contest, request.user, leaving)
    if following is not None:
        return redirect("contest-jury-score", contest.year, following)
    if leaving is not None and selectors.next_unscored(contest, request.user) == leaving:
        messages.info(request, "Других заявок без оценки нет: осталась только эта.")
        return redirect("contest-jury-score", contest.year, leaving)
    messages.info(request, "Все назначенные вам заявки оценены.")
    return redirect("contest-jury-queue", contest.year)


@member_required
def jury_sites(request, year, assignment_pk):
    """The sites of an assigned application's organization, each criterion as the check
    and any decision left it, with the form to decide otherwise (with a reason)."""
    assignment = _own_assignment(request, year, assignment_pk)
    contest = assignment.contest
    application = assignment.application
    sites = [(site, criteria, reverse("criterion-override", args=[site.pk]))
             for site, criteria in selectors.site_criteria_of(application.organization)]
    return render(request, "web/contest/jury_sites.html", {
        "nav": "contest", "contest": contest, "assignment": assignment,
        "application": application, "sites": sites, "here": request.path,
        "may_override": services.expert_may_override(request.user,
                                                     application.organization)})


@member_required
@require_POST
def dispute_answer(request, year, pk):
    user_scope = scope(request)
    organizer = services.is_organizer(user_scope)
    if not (organizer or services.is_expert(user_scope)):
        raise PermissionDenied(ANSWERING_ONLY)
    contest = contest_or_404(year)
    dispute = selectors.dispute_for_answer(contest, pk)
    if dispute is None or not services.may_answer(dispute, user_scope, request.user):
        raise Http404("Возражение не найдено.")
    fallback = reverse("contest-detail" if organizer else "contest-jury-queue",
                       args=[contest.year])
    form = DisputeAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(next_or(request, fallback))
    accepted = form.cleaned_data["decision"] == "accept"
    try:
        services.dispute_answer(dispute, accepted=accepted,
                                points=form.cleaned_data["points"] if accepted else None,
                                answer=form.cleaned_data["answer"], scope=user_scope,
                                user=request.user)
    except ContestRefused as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, (
            f"Возражение «{dispute.application.organization.display_name}» по критерию "
            f"«{dispute.criterion.title}» " + ("принято: балл изменён." if accepted
                                               else "отклонено.")))
    return redirect(next_or(request, fallback))


urls = [
    path("contest/<int:year>/jury/", jury_queue, name="contest-jury-queue"),
    path("contest/<int:year>/jury/next/", jury_next, name="contest-jury-next"),
    path("contest/<int:year>/jury/<int:assignment_pk>/", jury_score, name="contest-jury-score"),
    path("contest/<int:year>/jury/<int:assignment_pk>/sites/", jury_sites,
         name="contest-jury-sites"),
    path("contest/<int:year>/disputes/<int:pk>/answer/", dispute_answer,
         name="contest-dispute-answer"),
]
