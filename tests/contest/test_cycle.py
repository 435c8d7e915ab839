"""The contest's cycle through its services: stages guard every action, experts never judge
their own, the mean of marks, disputes, the tie rule and results that stay frozen."""

from collections import Counter

import pytest
from django.db.models import F

from profinfo.contest import services
from profinfo.contest.models import (
    Application,
    ApplicationState,
    Assignment,
    ConflictRefusal,
    Mark,
    Result,
    Stage,
)
from profinfo.contest.results import Standing, criterion_key, place, standings
from profinfo.contest.services import ContestRefused
from tests.contest.conftest import PERM, UDM, scope, score_all
from tests.factories import EDITOR, EXPERT, org, user_with


def test_application_refused_outside_the_stage_and_scope(contest, organizer):
    nomination = contest.nominations.first()
    editor = user_with(EDITOR, PERM, username="editor-perm")
    with pytest.raises(ContestRefused, match="не в|редактор"):
        services.application_create(nomination=nomination, organization=org(UDM),
                                    scope=scope(editor), user=editor)
    with pytest.raises(ContestRefused, match="приём заявок"):
        services.application_create(nomination=nomination, organization=org(PERM),
                                    scope=scope(editor), user=editor)
    assert not Application.objects.exists()


def test_conflict_of_interest_is_refused_and_logged(cycle, organizer):
    _, applications, _ = cycle
    own = user_with(EXPERT, PERM, username="expert-perm")
    with pytest.raises(ContestRefused, match="конфликт интересов"):
        services.assignment_add(applications[0], own, scope=scope(organizer), user=organizer)
    above = user_with(EXPERT, "РОСПРОФПРОМ", username="expert-ck")
    with pytest.raises(ContestRefused, match="конфликт интересов"):
        services.assignment_add(applications[1], above, scope=scope(organizer),
                                user=organizer)
    assert ConflictRefusal.objects.count() == 2
    assert not applications[0].assignments.filter(expert=own).exists()


def test_the_even_distributions_conflicts_are_those_refused_one_by_one(demo):
    """The distribution finds conflicts by path in a dictionary (`_ConflictIndex`), an
    assignment by hand asks `conflict_of_interest`: over the whole demo federation, for
    experts at the root, a ТО, a ППО inside it and elsewhere, both bar the same experts."""
    from profinfo.organizations.models import Membership, Organization

    territorial = Organization.objects.filter(level="territorial").order_by("path")
    inside = Organization.objects.filter(level="primary",
                                         path__startswith=territorial[0].path).first()
    places = ["РОСПРОФПРОМ", territorial[0].short_name, territorial[1].short_name]
    if inside is not None:
        places.append(inside.short_name)
    experts = [user_with(EXPERT, place, username=f"expert-{n}")
               for n, place in enumerate(places)]
    index = services._ConflictIndex(Membership.objects.filter(user__in=experts).values_list(
        "user_id", "organization__path"))
    checked = 0
    for organization in Organization.objects.all():
        refused = {e.pk for e in experts if services.conflict_of_interest(e, organization)}
        assert index.of(organization.path) == refused, organization.name
        checked += bool(refused)
    assert checked > len(places)  # the check met conflicts above, at and below


def test_mean_of_experts_disagreement_and_frozen_results(cycle, contest, organizer):
    nomination, (perm, udm), (first, second) = cycle
    score_all(perm, first, lambda c: c.points)
    score_all(perm, second, lambda c: 0)
    score_all(udm, first, lambda c: c.points / 2)
    score_all(udm, second, lambda c: c.points / 2)
    rows = {s.application_id: s for s in standings(contest)[nomination.pk]}
    design = next(c for c in services.jury_criteria(nomination) if c.code == "design")
    assert rows[perm.pk].criteria[criterion_key(design)] == design.points / 2
    assert criterion_key(design) in rows[perm.pk].disagreements
    assert not rows[udm.pk].disagreements

    services.stage_set(contest, Stage.INTERACTION, scope=scope(organizer), user=organizer)
    editor = user_with(EDITOR, PERM, username="perm-disputes")
    dispute = services.dispute_open(perm, design, comment="Обложка есть", upload=None,
                                    scope=scope(editor), user=editor)
    services.dispute_answer(dispute, accepted=True, points=design.points, answer="Да",
                            scope=scope(organizer), user=organizer)
    services.stage_set(contest, Stage.SUMMING_UP, scope=scope(organizer), user=organizer)
    contest.refresh_from_db()
    assert contest.is_frozen
    final = Result.objects.filter(snapshot__kind="final")
    preliminary = Result.objects.filter(snapshot__kind="preliminary")
    assert final.get(application_pk=perm.pk).criteria[criterion_key(design)] == design.points
    assert preliminary.get(application_pk=perm.pk).criteria[criterion_key(design)] == \
        design.points / 2
    with pytest.raises(ContestRefused):
        services.dispute_open(udm, design, comment="ещё", upload=None,
                              scope=scope(organizer), user=organizer)
    before = list(final.values_list("organization_pk", "total", "place"))
    Mark.objects.update(points=0)  # even a write past the services
    assert list(final.values_list("organization_pk", "total", "place")) == before


def test_places_follow_the_tie_rule():
    def standing(pk, total, jury, known):
        s = Standing(pk, pk, 1, "territorial", total=total, jury_total=jury, known=known,
                     count=10)
        return s

    rows = [standing(1, 10, 2, 9), standing(2, 10, 3, 5), standing(3, 10, 3, 5),
            standing(4, 12, 0, 1)]
    place(rows, "jury_then_data")
    assert [(s.organization_id, s.place) for s in rows] == [(4, 1), (2, 2), (3, 2), (1, 4)]
    place(rows, "shared")
    assert sorted((s.organization_id, s.place) for s in rows) == [(1, 2), (2, 2), (3, 2),
                                                                   (4, 1)]


def test_scores_refused_before_evaluation_leave_nothing(contest, organizer):
    nomination = contest.nominations.get(level="territorial")
    services.stage_set(contest, Stage.APPLICATIONS, scope=scope(organizer), user=organizer)
    editor = user_with(EDITOR, PERM, username="e")
    application = services.application_create(nomination=nomination, organization=org(PERM),
                                               scope=scope(editor), user=editor)
    answers = {criterion_key(c): "есть" for c in services.jury_criteria(nomination)}
    services.application_update(application, answers=answers, contact="",
                                scope=scope(editor))
    services.application_submit(application, scope=scope(editor), user=editor)
    expert = user_with(EXPERT, "Московская областная", username="x")
    assignment = services.assignment_add(application, expert, scope=scope(organizer),
                                         user=organizer)
    marks = {c.pk: (c.points, "") for c in services.jury_criteria(nomination)}
    with pytest.raises(ContestRefused, match="«оценка»"):
        services.marks_save(assignment, marks, user=expert)
    assert not Mark.objects.exists()
    assert application.state == ApplicationState.SUBMITTED


def test_distribution_is_even_and_skips_every_conflict(contest, organizer):
    from profinfo.organizations.models import Organization

    nomination = contest.nominations.get(level="territorial")
    services.stage_set(contest, Stage.APPLICATIONS, scope=scope(organizer), user=organizer)
    territorial = list(Organization.objects.filter(level="territorial").order_by("path")[:6])
    for number, organization in enumerate(territorial):
        editor = user_with(EDITOR, organization.short_name, username=f"editor-{number}")
        application = services.application_create(
            nomination=nomination, organization=organization, scope=scope(editor),
            user=editor)
        services.application_update(application, answers={
            criterion_key(c): "есть" for c in services.jury_criteria(nomination)},
            contact="", scope=scope(editor))
        services.application_submit(application, scope=scope(editor), user=editor)
    primary = Organization.objects.filter(path__startswith=territorial[1].path,
                                          level="primary").first()
    experts = [user_with(EXPERT, territorial[0].short_name, username="in-first"),
               user_with(EXPERT, "РОСПРОФПРОМ", username="above-all"),
               user_with(EXPERT, "Московская областная", username="outside-1"),
               user_with(EXPERT, "Московская областная", username="outside-2")]
    if primary is not None:
        experts.append(user_with(EXPERT, primary.short_name, username="below-second"))
    made, short = services.assignments_distribute(contest, experts, 2,
                                                  scope=scope(organizer), user=organizer)
    pairs = set(Assignment.objects.values_list("application__organization__short_name",
                                               "expert__username"))
    assert made == 2 * len(territorial) - sum(1 for s in short if "1 из 2" in s)
    assert not any(expert == "above-all" for _, expert in pairs)  # the root is above all
    assert (territorial[0].short_name, "in-first") not in pairs
    if primary is not None:
        assert (territorial[1].short_name, "below-second") not in pairs
    loads = Counter(expert for _, expert in pairs)
    assert max(loads.values()) - min(loads.values()) <= 1
    # each assignment carries its application's contest (the expert's queue reads it)
    by_hand = services.assignment_add(
        Application.objects.filter(nomination=nomination).exclude(
            assignments__expert=experts[2]).first(), experts[2], scope=scope(organizer),
        user=organizer)
    assert by_hand.contest_id == contest.pk
    assert not Assignment.objects.exclude(contest=F("application__nomination__contest"))
    assert Assignment.objects.filter(contest=contest).count() == made + 1


def test_the_databases_means_are_the_marks_means(cycle, contest):
    """Without normalization the database sums the marks up; with it (a no-op for experts
    with under three marks) Python does: both give the same means and flags."""
    from profinfo.contest.results import jury_points

    _, (perm, udm), (first, second) = cycle
    score_all(perm, first, lambda c: c.points)
    score_all(perm, second, lambda c: 0)
    score_all(udm, first, lambda c: c.points / 2)
    summed = jury_points(contest)
    contest.normalize_jury = True
    in_python = jury_points(contest)
    assert summed.means == pytest.approx(in_python.means) and summed.means
    assert summed.disagreements == in_python.disagreements and summed.disagreements


def test_jury_criteria_are_the_nominations_criteria_the_jury_scores(contest):
    from profinfo.contest.results import contest_criteria, nomination_criteria
    from profinfo.evaluation.models import CriterionSource

    everything = contest_criteria(contest)
    nominations = list(contest.nominations.all())
    assert any(n.block_codes for n in nominations) and any(not n.block_codes
                                                           for n in nominations)
    scored = 0
    for nomination in nominations:
        expected = [c for c in nomination_criteria(nomination, everything)
                    if c.source == CriterionSource.JURY]
        assert services.jury_criteria(nomination) == expected
        scored += bool(expected)
    assert scored


def test_the_frozen_results_columns_are_every_field_of_a_result():
    """A snapshot's results are written as values in RESULT_COLUMNS' order: a field added
    to Result, or a name mistyped, would be missed without an error."""
    from profinfo.contest.models import Result
    from profinfo.contest.services import RESULT_COLUMNS

    fields = {f.attname for f in Result._meta.concrete_fields} - {"id"}
    assert set(RESULT_COLUMNS) == fields and len(RESULT_COLUMNS) == len(fields)
