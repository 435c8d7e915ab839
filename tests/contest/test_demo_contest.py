"""The demo's example contest of 2021: carried through its cycle by the services, frozen and
published, computed rather than written down, loaded once; the ratings and the annual deck
read it."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pptx import Presentation

from profinfo.contest import notifications
from profinfo.contest.demo import EXPERTS, SITE_ENTRANTS, TERRITORIAL_ENTRANTS
from profinfo.contest.links import contest_page, results_page
from profinfo.contest.models import (
    Application,
    Assignment,
    Contest,
    Dispute,
    DisputeState,
    Event,
    Mark,
    Result,
    Snapshot,
    SnapshotKind,
    Stage,
)
from profinfo.contest.results import standings
from profinfo.demo import SITE_STATS, SOCIAL_STATS, load_demo
from profinfo.organizations.models import Membership, Role
from profinfo.organizations.scoping import Scope
from profinfo.reports import annual
from profinfo.reports.ratings import ratings
from tests.factories import ADMIN, EDITOR, user_with

EVERYTHING = Scope(is_superuser=True)
SEED_PERIOD = (dt.date(2018, 1, 1), dt.date(2022, 2, 28))
YEAR_2021 = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
SVERDLOVSK = "Свердловская областная организация РОСПРОФПРОМ"
KALUGA = "Калужская областная организация РОСПРОФПРОМ"


@pytest.fixture
def example(db):
    load_demo(example_contest=True)
    return Contest.objects.get(year=2021)


def everything_counted() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Contest, Application, Assignment, Mark, Dispute, Snapshot, Result, Event,
        get_user_model(), Membership)}


def test_the_example_is_finished_frozen_and_published(example):
    assert example.is_example and example.title.startswith("Пример")
    assert example.methodology.year == 2021 and example.methodology.frozen
    assert example.stage == Stage.PUBLISHED and example.is_frozen
    assert example.frozen_at.date() == dt.date(2021, 12, 10)
    assert (example.applications_from, example.applications_until, example.evaluation_until,
            example.interaction_until, example.results_on) == (
        dt.date(2021, 9, 1), dt.date(2021, 10, 15), dt.date(2021, 11, 15),
        dt.date(2021, 12, 1), dt.date(2021, 12, 10))
    final = example.snapshots.get(kind=SnapshotKind.FINAL)  # what the protocol reads
    assert not final.superseded and final.methodology["year"] == 2021
    assert example.snapshots.filter(kind=SnapshotKind.PRELIMINARY).count() == 1
    events = list(example.events.order_by("created_at", "pk").values_list("action", flat=True))
    assert events[0] == "Этап: «подготовка» → «приём заявок»" and "Итоги зафиксированы" in events


def test_winners_in_both_nominations_are_computed(example):
    final = Result.objects.filter(snapshot__contest=example, snapshot__kind=SnapshotKind.FINAL)
    winners = dict(final.filter(place=1).values_list("nomination_title", "organization_name"))
    assert winners == {"Лучшая территориальная организация": SVERDLOVSK,
                       "Лучший сайт": KALUGA}
    # the frozen results are what the services compute from the marks and the disputes now
    live = {(s.application_id, s.place, round(s.total, 6)) for rows in
            standings(example).values() for s in rows}
    assert live == {(r.application_pk, r.place, round(r.total, 6)) for r in final}
    assert final.count() == len(TERRITORIAL_ENTRANTS) + len(SITE_ENTRANTS)
    # Kaluga's site won by the accepted dispute, the preliminary results kept what was before
    preliminary = Result.objects.get(snapshot__contest=example, organization_name=KALUGA,
                                     snapshot__kind=SnapshotKind.PRELIMINARY)
    assert preliminary.criteria["sites/fnpr-link"] is None
    assert final.get(organization_name=KALUGA).criteria["sites/fnpr-link"] == 1


def test_jury_marks_and_disputes_of_the_example(example):
    marks = Mark.objects.filter(assignment__application__nomination__contest=example)
    assert marks.count() == len(TERRITORIAL_ENTRANTS) * len(EXPERTS) * 2
    assert not marks.filter(comment="").exists()
    disputes = Dispute.objects.filter(application__nomination__contest=example)
    assert set(disputes.values_list("state", flat=True)) == {DisputeState.ACCEPTED,
                                                             DisputeState.REJECTED}
    assert not disputes.filter(answer="").exists()
    for login, _, _ in EXPERTS:
        expert = get_user_model().objects.get(username=login)
        assert not expert.has_usable_password()
        assert expert.memberships.get().role == Role.EXPERT
        own = expert.memberships.get().organization.path
        assigned = Assignment.objects.filter(expert=expert).values_list(
            "application__organization__path", flat=True)
        assert assigned and not any(p.startswith(own) or own.startswith(p) for p in assigned)


def test_history_as_of_the_freezing_holds_the_whole_contest(example):
    """The edit history is dated as the cycle went, so what is read of it as of the freezing
    (the protocol, the auditor's export) is the contest as it was frozen."""
    from profinfo.contest.exchange import export

    frozen = export(example)
    assert frozen["contest"]["frozen_at"].startswith("2021-12-10")
    assert len(frozen["applications"]) == len(TERRITORIAL_ENTRANTS) + len(SITE_ENTRANTS)
    assert len(frozen["jury_scores"]) == len(TERRITORIAL_ENTRANTS) * len(EXPERTS) * 2
    assert sorted((d["state"], d["answer"] != "") for d in frozen["disputes"]) == [
        ("accepted", True), ("rejected", True)]
    history = Dispute.history.filter(application__nomination__contest=example)
    assert {h.history_date.date() for h in history} == {dt.date(2021, 11, 26)}


def test_entrants_are_organizations_with_seed_data():
    with_social = {name for name, *_ in SOCIAL_STATS}
    with_site = {name for name, *_ in SITE_STATS}
    assert {name for name, _ in TERRITORIAL_ENTRANTS} <= with_social
    assert set(SITE_ENTRANTS) <= with_site


def test_loading_again_changes_nothing(example):
    before = everything_counted()
    frozen_at = example.frozen_at
    assert load_demo(example_contest=True)["example_contest"] == 2021
    assert everything_counted() == before
    assert Contest.objects.get(year=2021).frozen_at == frozen_at


def test_without_the_flag_the_demo_has_no_contest(demo):
    assert "example_contest" not in demo and not Contest.objects.exists()


def test_the_example_never_writes_letters(example, mailoutbox):
    get_user_model().objects.filter(username__in=[e[0] for e in EXPERTS]).update(
        email="expert@example.org")
    for day in (dt.date(2021, 10, 14), dt.date(2021, 11, 30), dt.date.today()):
        assert notifications.daily_digest(day) == 0
    assert mailoutbox == []


def test_ratings_point_to_the_contest(example, client):
    report = ratings(EVERYTHING, *YEAR_2021)
    assert results_page(2021) == "/contest/2021/results/"
    assert "Итоги смотра-конкурса 2021 (пример): http://127.0.0.1:8000/contest/2021/results/" \
        in report.notes
    assert any("только между участниками" in note for note in report.notes)
    assert not any("смотра-конкурса" in n for n in ratings(EVERYTHING, dt.date(2022, 1, 1),
                                                              dt.date(2022, 12, 31)).notes)
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    page = client.get(reverse("report", args=["ratings"]),
                      {"start": "2021-01-01", "end": "2021-12-31"}).content.decode()
    assert 'href="/contest/2021/results/"' in page
    assert "места распределены только между участниками" in page


def test_an_unpublished_contest_is_shown_to_organizers_only(example, client):
    Contest.objects.filter(pk=example.pk).update(stage=Stage.SUMMING_UP)
    editor = Scope.for_user(user_with(EDITOR, "Пермская краевая"))
    assert not any("смотра-конкурса" in n for n in ratings(editor, *YEAR_2021).notes)
    organizer = user_with(ADMIN, "РОСПРОФПРОМ", username="organizer")
    client.force_login(organizer)
    page = client.get(reverse("report", args=["ratings"]),
                      {"start": "2021-01-01", "end": "2021-12-31"}).content.decode()
    assert "Итоги смотра-конкурса 2021 (пример)" in page
    assert f'href="{contest_page(2021)}"' in page  # the organizers' page of the contest


def slides_of(data: bytes):
    deck = Presentation(io.BytesIO(data))
    return [(s.shapes.title.text if s.shapes.title else "",
             [[cell.text for cell in row.cells] for shape in s.shapes if shape.has_table
              for row in shape.table.rows],
             [shape.text_frame.text for shape in s.shapes if shape.has_text_frame])
            for s in deck.slides]


def test_the_deck_shows_the_winners(example):
    slides = slides_of(annual.annual_review(EVERYTHING, *SEED_PERIOD))
    cover = slides[0][2]
    assert any(t.startswith("Итоги смотра-конкурса 2021 (пример). Данные с 01.01.2018")
               for t in cover)
    territorial = next(s for s in slides if s[0] == (
        "Итоги смотра-конкурса 2021: «Лучшая территориальная организация» (пример)"))
    assert territorial[1][1][:2] == ["1", SVERDLOVSK]
    site = next(s for s in slides if s[0].startswith("Итоги смотра-конкурса 2021: «Лучший сайт»"))
    assert site[1][1][:2] == ["1", KALUGA]


def test_the_deck_claims_no_contest_without_one(demo):
    slides = slides_of(annual.annual_review(EVERYTHING, *SEED_PERIOD))
    texts = [t for _, _, shapes in slides for t in shapes]
    assert "Данные с 01.01.2018 по 28.02.2022" in slides[0][2]
    assert not any("Итоги смотра" in t for t in texts)
