"""Reports, ratings and the deck read a site's publications counted one by one: exact over
weekly audits and any period, «нет данных» before the audits' coverage, a part said so."""

import datetime as dt
import io

import pytest
from pptx import Presentation

from profinfo.evaluation.defaults import methodology_for
from profinfo.evaluation.scoring import score
from profinfo.monitoring.collectors import feeds, site
from profinfo.monitoring.models import Metric
from profinfo.monitoring.services import (
    observation_record,
    publications_store,
    site_publications,
)
from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Resource
from profinfo.reports import annual
from tests.factories import org

EVERYTHING = Scope(is_superuser=True)
PERM = "Пермская краевая"
FIRST = dt.date(2024, 1, 1)
# every day at 10:00 Moscow time, and a second publication every third day
PUBLISHED = sorted(
    [dt.datetime.combine(FIRST + dt.timedelta(days=n), dt.time(7), dt.UTC) for n in range(180)]
    + [dt.datetime.combine(FIRST + dt.timedelta(days=n), dt.time(12), dt.UTC)
       for n in range(0, 180, 3)], reverse=True)


def audited_weekly(resource, first: dt.date, last: dt.date) -> None:
    """Weekly audits, each reading a feed of the last 30 days' publications."""
    day = first
    while day <= last:
        items = [feeds.FeedItem(f"https://perm.ru/news/{m:%Y%m%d%H}", m, "Новость")
                 for m in PUBLISHED if day - dt.timedelta(days=29) <= m.date() <= day]
        audit = site.SiteAudit(url=resource.url, publication_items=items,
                               publication_source="feed")
        publications_store(resource=resource, found=site_publications(audit, day),
                           observed_on=day)
        # what audits also write: the 30-day figure, which must not be summed
        observation_record(resource=resource, metric=Metric.PUBLICATIONS, value=len(items),
                           period_start=day - dt.timedelta(days=29), period_end=day,
                           source="automatic")
        day += dt.timedelta(days=7)


@pytest.fixture
def perm_site(demo):
    resource = Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")
    audited_weekly(resource, dt.date(2024, 2, 5), dt.date(2024, 6, 24))  # from 7 January
    return resource


def perm_row(report):
    return next((row for row in report.rows if row[0] == PERM), None)


def test_site_statistics_count_each_publication_once_over_a_mid_month_period(perm_site):
    report = annual.build("site-stats", EVERYTHING, dt.date(2024, 3, 17), dt.date(2024, 4, 9))
    assert perm_row(report)[2] == 24 + 8  # 24 days, 8 of them with a second publication
    assert report.notes == []
    leaders = annual.build("publication-leaders", EVERYTHING, dt.date(2024, 3, 1),
                           dt.date(2024, 5, 31))
    assert leaders.rows[0] == [PERM, perm_site.title, 92 + 31]


def test_before_the_audits_there_is_no_count_and_a_part_is_said_so(perm_site):
    before = annual.build("site-stats", EVERYTHING, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert perm_row(before) is None  # нет данных: no row, not a zero
    january = annual.build("site-stats", EVERYTHING, dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    assert perm_row(january)[2] == 25 + 9  # 7…31 January: what the audits saw
    assert len(january.notes) == 1 and "публикации известны только с 07.01.2024" in \
        january.notes[0] and perm_site.title in january.notes[0]


def test_the_seeds_figures_are_still_summed(perm_site):
    whole = annual.build("site-stats", EVERYTHING, dt.date(2018, 1, 1), dt.date(2022, 2, 28))
    assert perm_row(whole)[2] == 213  # «презентация 2022»: an imported figure


def test_ratings_judge_publications_by_the_count_and_a_part_only_when_it_is_enough(perm_site):
    methodology = methodology_for(2024)
    territorial = list(Organization.objects.filter(level="territorial"))

    def decided(start, end):
        mine = next(s for s in score(methodology, territorial, start, end)
                    if s.organization_id == org(PERM).pk)
        return next(r for r in mine.results if r.criterion.code == "site-publications")

    spring = decided(dt.date(2024, 3, 1), dt.date(2024, 5, 31))
    assert spring.outcome.met is True and spring.outcome.value == 123
    january = decided(dt.date(2024, 1, 1), dt.date(2024, 1, 31))  # a part, already enough
    assert january.outcome.met is True and january.outcome.value == 34
    few = decided(dt.date(2023, 12, 1), dt.date(2024, 1, 8))  # 7 and 8 January only
    assert few.outcome.met is None and few.points is None
    assert few.outcome.evidence == ("опубликовано материалов: не меньше 3 (публикации "
                                    "известны только с 07.01.2024)")
    nothing = decided(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert nothing.outcome.met is None
    assert nothing.outcome.evidence == "нет данных о публикациях за период"


def test_the_deck_shows_the_counted_publications(perm_site):
    deck = Presentation(io.BytesIO(annual.annual_review(EVERYTHING, dt.date(2024, 3, 17),
                                                        dt.date(2024, 4, 9))))
    rows = [[cell.text for cell in row.cells] for slide in deck.slides
            for shape in slide.shapes if shape.has_table for row in shape.table.rows]
    assert [PERM, perm_site.title, "32"] in [row[:3] for row in rows]
