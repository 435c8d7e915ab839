import datetime as dt
from pathlib import Path

from profinfo.demo import SITE_STATS, SOCIAL_STATS
from profinfo.monitoring.models import Metric, Observation, Source
from profinfo.organizations.models import Level, Organization
from profinfo.registry.models import Kind, Resource

from .conftest import require


def test_demo_is_idempotent(demo):
    from profinfo.demo import load_demo

    assert load_demo() == demo
    assert Organization.objects.count() == demo["organizations"]


def test_demo_tree(demo):
    central = Organization.objects.get(level=Level.CENTRAL)
    assert central.short_name == "РОСПРОФПРОМ"
    assert Organization.objects.filter(level=Level.TERRITORIAL).count() == 18
    votkinsk = Organization.objects.get(short_name="ППО «Воткинский завод»")
    assert votkinsk.get_parent().short_name == "Удмуртская республиканская"


def seed_text() -> str:
    folder = Path(__file__).resolve().parents[2] / "shared" / "seed"
    require(folder.is_dir(), f"нет папки с презентацией профсоюза ({folder})")
    return " ".join(" ".join(p.read_text() for p in sorted(folder.glob("*.txt"))).split())


def grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ")  # as the presentation writes visitors and views


def test_demo_figures_are_the_presentations(db):
    """Every figure of the demo stands in the union's presentation as written there."""
    text = seed_text()
    for name, publications, visitors, views in SITE_STATS:
        line = f"{name} {publications} {grouped(visitors)} {grouped(views)}"
        assert line in text, line
    labels = {"vk": "ВКонтакте", "ok": "Одноклассники"}
    for _, title, network, subscribers in SOCIAL_STATS:
        assert f"{subscribers} ({labels[str(network)]})" in text and title in text, title


def test_site_statistics_are_exactly_the_seeds(demo):
    rows = Observation.objects.filter(source=Source.PRESENTATION_2022,
                                      resource__kind=Kind.SITE)
    assert rows.count() == 45
    central = rows.filter(resource__url_key="rosprofprom.ru")
    values = {o.metric: o.value for o in central}
    assert values == {Metric.PUBLICATIONS: 1362, Metric.VISITORS: 108549, Metric.VIEWS: 493312}
    ivanovo = rows.filter(resource__organization__short_name="Ивановская областная")
    assert {o.metric: o.value for o in ivanovo}[Metric.PUBLICATIONS] == 2142
    assert {(o.period_start, o.period_end) for o in rows} == {
        (dt.date(2018, 1, 1), dt.date(2022, 2, 28))}


def test_social_statistics_are_exactly_the_seeds(demo):
    subs = Observation.objects.filter(metric=Metric.SUBSCRIBERS,
                                      source=Source.PRESENTATION_2022)
    got = sorted((o.resource.title, o.resource.network, int(o.value)) for o in subs)
    want = sorted((title, str(net), n) for _, title, net, n in SOCIAL_STATS)
    assert got == want


def test_no_invented_addresses(demo):
    assert list(Resource.objects.exclude(url="").values_list("url", flat=True)) == [
        "https://rosprofprom.ru/"]
