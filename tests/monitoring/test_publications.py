"""Publications kept one by one: feeds, sitemaps and posts parsed into items, stored once per
resource whatever checks see them again, counted exactly over any period, «нет данных»
before the checks' coverage, and the data of older checks carried over by the migration."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from profinfo.monitoring import calculations as calc
from profinfo.monitoring.collectors import feeds, site
from profinfo.monitoring.collectors.social import SocialPage
from profinfo.monitoring.models import Metric, Observation, Publication, PublicationCoverage
from profinfo.monitoring.selectors import publications_counted, publications_in_period
from profinfo.monitoring.services import (
    observation_record,
    publications_store,
    site_audit_store,
    site_publications,
    social_page_store,
    social_publications,
)
from tests.factories import ADMIN, register, user_with

UTC = dt.UTC


# --- parsing --------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<item><title>Пленум</title><link>https://www.Union.ru/news/1/</link><guid>news-1</guid>
<description>&lt;p&gt;Состоялся &lt;b&gt;пленум&lt;/b&gt;&lt;/p&gt; {long}</description>
<pubDate>Tue, 14 May 2024 10:00:00 +0300</pubDate></item>
<item><title>Без guid</title><link>http://union.ru/news/2#comments</link>
<pubDate>Mon, 13 May 2024 10:00:00 +0300</pubDate></item>
<item><title>Снова первая</title><guid>news-1</guid>
<pubDate>Tue, 14 May 2024 10:00:00 +0300</pubDate></item>
<item><title>Без даты</title><link>https://union.ru/news/3</link></item>
<item><title>Только дата</title><pubDate>Sun, 12 May 2024 10:00:00 +0300</pubDate></item>
</channel></rss>"""


def test_feed_items_have_keys_dates_titles_and_plain_text():
    items = feeds.feed_items(RSS.format(long="слово " * 400).encode())
    assert [item.key for item in items] == [
        "news-1", "union.ru/news/2", "2024-05-12T10:00:00+03:00 Только дата"]
    first = items[0]
    assert first.title == "Пленум" and first.date == dt.datetime(2024, 5, 14, 7, tzinfo=UTC)
    assert first.text.startswith("Состоялся пленум слово") and len(first.text) == 1000
    assert feeds.feed_dates(RSS.format(long="").encode()) == [item.date for item in items]


def test_sitemap_pages_are_keyed_by_normalized_address_once_each():
    xml = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://www.union.ru/news/1/</loc><lastmod>2024-05-01</lastmod></url>
    <url><loc>http://union.ru/news/1</loc><lastmod>2024-05-03</lastmod></url>
    <url><loc>https://union.ru/about</loc></url>
    <url><loc>https://union.ru/news/2?id=5</loc><lastmod>2024-05-02T10:00:00+03:00</lastmod></url>
    </urlset>"""
    pages, nested = feeds.sitemap_pages(xml)
    assert [(p.key, p.date.date()) for p in pages] == [
        ("union.ru/news/1", dt.date(2024, 5, 1)), ("union.ru/news/2?id=5", dt.date(2024, 5, 2))]
    assert nested == []


def test_a_repeated_post_is_one_post():
    posts = [calc.Post("-1_5", dt.datetime(2024, 5, 5, tzinfo=UTC), likes=1),
             calc.Post("-1_4", dt.datetime(2024, 5, 4, tzinfo=UTC), likes=2),
             calc.Post("-1_5", dt.datetime(2024, 5, 5, tzinfo=UTC), likes=9)]
    assert [(p.id, p.likes) for p in calc.distinct(posts)] == [("-1_5", 1), ("-1_4", 2)]


# --- a feed read by weekly audits -------------------------------------------------------------

FIRST = dt.date(2024, 1, 1)
# a publication every day at 10:00 Moscow time, and a second one every third day
PUBLISHED = sorted(
    [dt.datetime.combine(FIRST + dt.timedelta(days=n), dt.time(7), UTC) for n in range(180)]
    + [dt.datetime.combine(FIRST + dt.timedelta(days=n), dt.time(12), UTC)
       for n in range(0, 180, 3)], reverse=True)


def feed_on(day: dt.date) -> site.SiteAudit:
    """What an audit on `day` reads: a feed of the publications of the last 30 days."""
    items = [feeds.FeedItem(f"https://union.ru/news/{moment:%Y%m%d%H}", moment,
                            f"Новость {moment:%d.%m}", "Текст")
             for moment in PUBLISHED if day - dt.timedelta(days=29) <= moment.date() <= day]
    return site.SiteAudit(url="https://union.ru/", publication_items=items,
                          publication_source="feed")


def published_between(start: dt.date, end: dt.date) -> int:
    return sum(1 for moment in PUBLISHED if start <= moment.date() <= end)


def audit_weekly(resource, first: dt.date, last: dt.date) -> None:
    day = first
    while day <= last:
        publications_store(resource=resource, found=site_publications(feed_on(day), day),
                           observed_on=day)
        day += dt.timedelta(days=7)


@pytest.fixture
def union_site(demo):
    return register("https://union.ru/")


def test_weekly_audits_of_a_30_day_feed_count_each_publication_once(union_site):
    audit_weekly(union_site, dt.date(2024, 2, 5), dt.date(2024, 6, 24))  # 21 audits
    assert Publication.objects.filter(resource=union_site).count() == published_between(
        dt.date(2024, 1, 7), dt.date(2024, 6, 24))
    coverage = PublicationCoverage.objects.get(resource=union_site)
    assert (coverage.covered_from, coverage.checked_until) == (dt.date(2024, 1, 7),
                                                               dt.date(2024, 6, 24))
    # the same audit again changes nothing
    before = Publication.objects.filter(resource=union_site).count()
    audit_weekly(union_site, dt.date(2024, 6, 24), dt.date(2024, 6, 24))
    assert Publication.objects.filter(resource=union_site).count() == before
    # a quarter, counted item by item: 91 days of daily posts + every third day's second
    quarter = publications_in_period([union_site.pk], dt.date(2024, 3, 1),
                                     dt.date(2024, 5, 31))[union_site.pk]
    assert quarter.value == published_between(dt.date(2024, 3, 1), dt.date(2024, 5, 31))
    assert quarter.value == 92 + 31 and not quarter.partial


def test_a_period_starting_mid_month_counts_exactly(union_site):
    audit_weekly(union_site, dt.date(2024, 2, 5), dt.date(2024, 6, 24))
    for start, end in [(dt.date(2024, 3, 17), dt.date(2024, 4, 9)),
                       (dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
                       (dt.date(2024, 5, 15), dt.date(2024, 6, 14))]:
        counted = publications_counted([union_site.pk], start, end)[union_site.pk]
        assert counted.value == published_between(start, end), (start, end)
    assert publications_counted([union_site.pk], dt.date(2024, 3, 17),
                                dt.date(2024, 4, 9))[union_site.pk].value == 24 + 8


def test_before_the_coverage_there_is_no_count_and_a_straddling_period_says_so(union_site):
    audit_weekly(union_site, dt.date(2024, 4, 1), dt.date(2024, 4, 29))  # from 2024-03-03
    before = publications_in_period([union_site.pk], dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    assert union_site.pk not in before  # нет данных, not 0
    straddling = publications_in_period([union_site.pk], dt.date(2024, 2, 15),
                                        dt.date(2024, 3, 31))[union_site.pk]
    assert straddling.partial and straddling.covered_from == dt.date(2024, 3, 3)
    assert straddling.value == published_between(dt.date(2024, 3, 3), dt.date(2024, 3, 31))
    assert straddling.note == "публикации известны только с 03.03.2024"


def test_hand_entered_figures_are_summed_and_automatic_windows_are_not(union_site):
    other = register("https://other-union.ru/")
    for resource in (union_site, other):  # what automatic audits wrote: 30-day windows
        for end in (dt.date(2024, 3, 30), dt.date(2024, 4, 6)):
            observation_record(resource=resource, metric=Metric.PUBLICATIONS, value=40,
                               period_start=end - dt.timedelta(days=29), period_end=end,
                               source="automatic")
    observation_record(resource=other, metric=Metric.PUBLICATIONS, value=17,
                       period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    audit_weekly(union_site, dt.date(2024, 4, 1), dt.date(2024, 4, 29))
    march = publications_in_period([union_site.pk, other.pk], dt.date(2024, 3, 1),
                                   dt.date(2024, 3, 31))
    assert march[other.pk].value == 17 and march[other.pk].covered_from is None
    # the site's items cover only a part of March: the count of that part, said so
    assert march[union_site.pk].partial and march[union_site.pk].value == 29 + 10
    # a manual figure wins over a partial count, a complete count over a manual figure
    observation_record(resource=union_site, metric=Metric.PUBLICATIONS, value=45,
                       period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    assert publications_in_period([union_site.pk], dt.date(2024, 3, 1),
                                  dt.date(2024, 3, 31))[union_site.pk].value == 45
    observation_record(resource=union_site, metric=Metric.PUBLICATIONS, value=99,
                       period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 4, 20))
    assert publications_in_period([union_site.pk], dt.date(2024, 4, 1),
                                  dt.date(2024, 4, 20))[union_site.pk].value == 20 + 6


def test_a_site_audit_keeps_its_feed_items_and_says_what_it_saw(union_site):
    today = dt.date.today()
    audit = feed_on(FIRST + dt.timedelta(days=40))
    shift = today - (FIRST + dt.timedelta(days=40))  # the same feed, dated up to today
    audit.publication_items = [
        feeds.FeedItem(i.key, i.date + shift, i.title, i.text) for i in audit.publication_items]
    audit.publication_items.append(feeds.FeedItem("tomorrow", dt.datetime.combine(
        today + dt.timedelta(days=2), dt.time(9), UTC)))  # not published yet: not kept
    observation = site_audit_store(resource=union_site, audit=audit)
    stored = Publication.objects.filter(resource=union_site)
    assert stored.count() == len(audit.publication_items) - 1
    assert set(stored.values_list("channel", flat=True)) == {"feed"}
    assert observation.details["publications"] == {
        "channel": "feed", "oldest": (today - dt.timedelta(days=29)).isoformat(),
        "newest": today.isoformat(), "items": stored.count()}


def test_posts_are_stored_once_with_their_text(union_site):
    page = register("https://vk.com/union_page", kind="social", network="vk")
    day = dt.date(2024, 5, 20)
    posts = [calc.Post(f"-5_{n}", dt.datetime(2024, 5, n, 9, tzinfo=UTC), likes=n,
                       text=f"Заголовок {n}\nТекст") for n in range(1, 20)]
    vk_page = SocialPage("vk", page.url, subscribers=100, posts=posts)
    social_page_store(resource=page, page=vk_page, today=day)
    social_page_store(resource=page, page=vk_page, today=day)  # checked twice: once each
    stored = Publication.objects.filter(resource=page).order_by("-published_on")
    assert stored.count() == 19 and stored[0].title == "Заголовок 19"
    assert stored[0].text == "Заголовок 19\nТекст" and stored[0].channel == "vk"
    assert [p.key for p in social_publications(vk_page)][:2] == ["-5_1", "-5_2"]
    snapshot = Observation.objects.filter(resource=page, metric=Metric.POSTS).first()
    assert snapshot.details["publications"]["oldest"] == "2024-05-01"


def test_stored_items_are_bounded_per_check(union_site, monkeypatch):
    monkeypatch.setattr("profinfo.monitoring.services.MAX_PUBLICATIONS_PER_CHECK", 5)
    seen = publications_store(resource=union_site, found=site_publications(
        feed_on(dt.date(2024, 3, 1)), dt.date(2024, 3, 1)), observed_on=dt.date(2024, 3, 1))
    assert seen["items"] == 5 and Publication.objects.filter(resource=union_site).count() == 5
    # the five newest: two on 1 March, one on each of 29 and 28 February, one on the 27th
    assert PublicationCoverage.objects.get(resource=union_site).covered_from == dt.date(
        2024, 2, 27)


# --- the migration ----------------------------------------------------------------------------

BEFORE = [("monitoring", "0007_publications")]


@pytest.mark.django_db(transaction=True)
def test_migration_carries_over_dates_and_posts_of_older_checks():
    from profinfo.organizations.services import organization_create
    from profinfo.registry.models import Resource

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Observation_ = old.get_model("monitoring", "Observation")
    union = organization_create(parent=None, name="Профсоюз", short_name="Профсоюз")
    site_ = Resource.objects.create(organization=union, kind="site", url="https://u.ru/",
                                    title="Сайт")
    page = Resource.objects.create(organization=union, kind="social", network="vk",
                                   url="https://vk.com/u", title="ВК")

    def dates(*days):
        return [f"2024-05-{d:02d}" for d in days]

    for checked, listed in ((dt.date(2024, 5, 10), dates(10, 9, 9, 5, 3)),
                            (dt.date(2024, 5, 17), dates(17, 10, 9, 9, 9, 5))):
        Observation_.objects.create(resource_id=site_.pk, metric="site_audit", value=3,
                                    period_end=checked, source="automatic",
                                    details={"feeds": ["https://u.ru/rss"],
                                             "publication_dates": listed})
    posts = [{"id": f"-7_{n}", "date": f"2024-05-{n:02d}T21:30:00+00:00", "likes": 1}
             for n in (12, 11, 10)]
    for snapshot in (posts, posts[:2]):
        Observation_.objects.create(resource_id=page.pk, metric="posts", value=3,
                                    period_end=dt.date(2024, 5, 13), source="automatic",
                                    details={"posts": snapshot})
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    site_days = list(Publication.objects.filter(resource=site_).order_by("published_on")
                     .values_list("published_on", flat=True))
    # each day as often as the audit that saw most of it: 3, 5, 9 ×3, 10, 17
    assert [d.day for d in site_days] == [3, 5, 9, 9, 9, 10, 17]
    assert PublicationCoverage.objects.get(resource=site_).covered_from == dt.date(2024, 5, 3)
    assert set(Publication.objects.filter(resource=site_).values_list("channel", flat=True)) \
        == {"feed"}
    # posts with their ids, on Moscow's day (21:30 UTC is the next day there)
    assert sorted(Publication.objects.filter(resource=page).values_list(
        "key", "published_on")) == [("-7_10", dt.date(2024, 5, 11)),
                                    ("-7_11", dt.date(2024, 5, 12)),
                                    ("-7_12", dt.date(2024, 5, 13))]
    # a new audit listing real items replaces as many stand-ins on their days
    two_real = [feeds.FeedItem(f"news-{n}", dt.datetime(2024, 5, 9, n, tzinfo=UTC))
                for n in (8, 9)] + [feeds.FeedItem("news-x", dt.datetime(2024, 5, 18, 9,
                                                                        tzinfo=UTC))]
    audit = site.SiteAudit(url=site_.url, publication_items=two_real,
                           publication_source="feed")
    publications_store(resource=site_, found=site_publications(audit, dt.date(2024, 5, 20)),
                       observed_on=dt.date(2024, 5, 20))
    assert publications_counted([site_.pk], dt.date(2024, 5, 9),
                                dt.date(2024, 5, 9))[site_.pk].value == 3
    assert publications_counted([site_.pk], dt.date(2024, 5, 1),
                                dt.date(2024, 5, 31))[site_.pk].value == 8


def test_the_resource_page_says_how_many_publications_are_known_and_since_when(demo, client):
    resource = register("https://known.example/", title="Сайт с лентой")
    feed = feeds.feed_items(RSS.format(long="").encode())
    publications_store(resource=resource, found=site_publications(
        site.SiteAudit(url=resource.url, publication_items=feed, publication_source="feed"),
        dt.date(2024, 5, 20)), observed_on=dt.date(2024, 5, 20))
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    page = client.get(reverse("resource-detail", args=[resource.pk])).content.decode()
    assert "публикаций известно: 3 (с 12.05.2024 по 14.05.2024" in page


def test_after_the_last_check_nothing_is_known(demo):
    resource = register("https://stopped.example/", title="Сайт, который перестали проверять")
    feed = feeds.feed_items(RSS.format(long="").encode())
    publications_store(resource=resource, found=site_publications(
        site.SiteAudit(url=resource.url, publication_items=feed, publication_source="feed"),
        dt.date(2024, 5, 20)), observed_on=dt.date(2024, 5, 20))
    after = publications_counted([resource.pk], dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert resource.pk not in after  # «нет данных», not 0
    straddling = publications_counted([resource.pk], dt.date(2024, 5, 12),
                                      dt.date(2024, 6, 30))[resource.pk]
    assert straddling.partial and straddling.value == 3
    assert straddling.note == "публикации известны только с 12.05.2024 по 20.05.2024"


def test_a_sitemap_read_when_the_feed_failed_does_not_count_the_feeds_posts_again(demo):
    resource = register("https://feed-then-sitemap.example/", title="Сайт с лентой и картой")
    feed = feeds.feed_items(RSS.format(long="").encode())
    publications_store(resource=resource, found=site_publications(
        site.SiteAudit(url=resource.url, publication_items=feed, publication_source="feed"),
        dt.date(2024, 5, 20)), observed_on=dt.date(2024, 5, 20))
    pages = [feeds.FeedItem(f"feed-then-sitemap.example/2024/05/{n}", dt.datetime(
        2024, 5, 10 + n, tzinfo=UTC), "", "") for n in range(4)]
    stored = publications_store(resource=resource, found=site_publications(
        site.SiteAudit(url=resource.url, publication_items=pages, publication_source="sitemap"),
        dt.date(2024, 5, 27)), observed_on=dt.date(2024, 5, 27))
    assert stored is None
    assert Publication.objects.filter(resource=resource).count() == 3
    assert PublicationCoverage.objects.get(resource=resource).checked_until == dt.date(2024, 5, 20)


def test_a_migrated_posts_key_is_the_key_a_check_gives_it_today():
    """Migration 0008 keys the posts older checks kept by their stored «id»; a new check
    must key the same post the same way, or the first check after the upgrade counts it
    twice."""
    from profinfo.monitoring.collectors import social

    when = dt.datetime(2024, 5, 14, 10, tzinfo=UTC)
    for network, post_id in (("vk", "-12345_309"), ("ok", "67890"), ("telegram", "ppo/77")):
        page = SocialPage(network=network, url="https://example.org/",
                          posts=[calc.Post(id=post_id, date=when)])
        stored = social.figures(page, dt.date(2024, 5, 20))["posts"][0]["id"]
        assert [p.key for p in social_publications(page)] == [str(stored)[:500]]
