"""РОСПРОФПРОМ as the union's 2022 presentation (shared/seed) shows it.

Every figure here is the seed's own. Web addresses are not invented: only the central site
(rosprofprom.ru) is known; other resources wait for a person to enter their address.
Loading is idempotent: organizations and resources are looked up by name before creation,
and the seed's observations are replaced as a set, never duplicated.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from profinfo.contest.demo import load_example_contest
from profinfo.monitoring.models import Metric, Observation, Source
from profinfo.monitoring.services import latest_values_refresh
from profinfo.organizations.models import Level, Organization, OrganizationKind
from profinfo.registry.models import Kind, Network, Periodicity, PrintType, Resource

PERIOD = (dt.date(2018, 1, 1), dt.date(2022, 2, 28))
CENTRAL_NAME = ("Российский профессиональный союз работников промышленности", "РОСПРОФПРОМ")

# (short name as in the seed, full name, kind, region)
TERRITORIAL = [
    ("Башкортостанская республиканская", OrganizationKind.REPUBLICAN, "Республика Башкортостан"),
    ("Татарстанская республиканская", OrganizationKind.REPUBLICAN, "Республика Татарстан"),
    ("Удмуртская республиканская", OrganizationKind.REPUBLICAN, "Удмуртская Республика"),
    ("Алтайская краевая", OrganizationKind.KRAI, "Алтайский край"),
    ("Пермская краевая", OrganizationKind.KRAI, "Пермский край"),
    ("Волгоградская областная", OrganizationKind.OBLAST, "Волгоградская область"),
    ("Вологодская областная", OrganizationKind.OBLAST, "Вологодская область"),
    ("Ивановская областная", OrganizationKind.OBLAST, "Ивановская область"),
    ("Калужская областная", OrganizationKind.OBLAST, "Калужская область"),
    ("Курганская областная", OrganizationKind.OBLAST, "Курганская область"),
    ("Московская областная", OrganizationKind.OBLAST, "Московская область"),
    ("Нижегородская областная", OrganizationKind.OBLAST, "Нижегородская область"),
    ("Орловская областная", OrganizationKind.OBLAST, "Орловская область"),
    ("Свердловская областная", OrganizationKind.OBLAST, "Свердловская область"),
    ("Тульская областная", OrganizationKind.OBLAST, "Тульская область"),
    ("Челябинская областная", OrganizationKind.OBLAST, "Челябинская область"),
    ("Московская городская", OrganizationKind.CITY, "Москва"),
    ("МРО Санкт-Петербурга и Ленинградской области", OrganizationKind.INTERREGIONAL,
     "Санкт-Петербург и Ленинградская область"),
]

# Primary organizations the seed names, with the territorial organization of their region.
PRIMARY = [
    ("ППО ФЦДТ «Союз»", "Московская областная"),
    ("ППО «Воткинский завод»", "Удмуртская республиканская"),
    ("ППО ПАО «НЕФАЗ»", "Башкортостанская республиканская"),
]

# «Статистика использования сайтов», 2018 — февраль 2022: materials, visitors, views.
SITE_STATS = [
    ("Центральный сайт профсоюза", 1362, 108549, 493312),
    ("Башкортостанская республиканская", 310, 4777, 20487),
    ("Татарстанская республиканская", 572, 3652, 14447),
    ("Удмуртская республиканская", 177, 2789, 10206),
    ("Алтайская краевая", 279, 3991, 21403),
    ("Пермская краевая", 213, 4039, 11933),
    ("Волгоградская областная", 205, 2634, 14679),
    ("Ивановская областная", 2142, 6741, 25796),
    ("Калужская областная", 266, 18119, 75710),
    ("Курганская областная", 272, 1880, 6624),
    ("МРО Санкт-Петербурга и Ленинградской области", 170, 3248, 11401),
    ("Московская областная", 233, 3272, 14011),
    ("Свердловская областная", 108, 2640, 11147),
    ("Тульская областная", 52, 4282, 13282),
    ("Московская городская", 68, 1463, 7126),
]

# «Статистика использования соцсетей»: organization, community name, network, subscribers.
SOCIAL_STATS = [
    ("Свердловская областная", "Свердловская областная организация РОСПРОФПРОМ", Network.VK, 1215),
    ("Свердловская областная", "Свердловская областная организация РОСПРОФПРОМ", Network.OK, 161),
    ("Башкортостанская республиканская", "РОСПРОФПРОМ-Башкортостан", Network.VK, 333),
    ("Вологодская областная", "РОСПРОФПРОМ - Вологда", Network.VK, 266),
    ("Удмуртская республиканская", "РОСПРОФПРОМ - Удмуртия", Network.VK, 233),
    ("МРО Санкт-Петербурга и Ленинградской области",
     "Профсоюз работников промышленности СПб и ЛО", Network.VK, 231),
    ("Нижегородская областная", "РОСПРОФПРОМ - Нижний Новгород", Network.VK, 183),
    ("Челябинская областная", "РОСПРОФПРОМ - Челябинск", Network.VK, 155),
    ("Пермская краевая", "Пермская краевая организация РОСПРОФПРОМ", Network.VK, 130),
]

# «Печатные издания территориальных организаций», with the periodicity the seed states.
PRINT_EDITIONS = [
    ("Башкортостанская республиканская", "Журнал «Металлист-инфо»", PrintType.MAGAZINE,
     Periodicity.SEMIANNUAL),
    ("Башкортостанская республиканская", "Газета «Металлист-инфо»", PrintType.NEWSPAPER,
     Periodicity.BIMONTHLY),
    ("МРО Санкт-Петербурга и Ленинградской области", "Газета «Металлист»",
     PrintType.NEWSPAPER, Periodicity.ANNUAL),
    ("Орловская областная", "Информационный бюллетень «Машиностроитель»",
     PrintType.BULLETIN, Periodicity.QUARTERLY),
    ("Свердловская областная", "Газета «РОСПРОФПРОМ-Урал»", PrintType.NEWSPAPER,
     Periodicity.MONTHLY),
    ("Тульская областная", "Газета «НАШ ВЗГЛЯД. Тулароспрофпром»", PrintType.NEWSPAPER,
     Periodicity.BIMONTHLY),
    ("Удмуртская республиканская", "Профсоюзный вестник «РОСПРОФПРОМ-Удмуртия»",
     PrintType.HERALD, Periodicity.MONTHLY),
    # «Печатные издания с рубрикой профсоюзной организации»: the seed names no title.
    ("ППО «Воткинский завод»", "Рубрика профсоюзной организации в газете предприятия",
     PrintType.RUBRIC, ""),
    ("ППО ПАО «НЕФАЗ»", "Рубрика профсоюзной организации в газете предприятия",
     PrintType.RUBRIC, ""),
]


def full_name(short: str) -> str:
    if short.startswith("МРО "):
        return "Межрегиональная организация РОСПРОФПРОМ " + short[4:].replace(
            "Санкт-Петербурга", "г. Санкт-Петербурга")
    return f"{short} организация РОСПРОФПРОМ"


@transaction.atomic
def load_demo(*, example_contest: bool = False) -> dict[str, int]:
    """The seed's organizations, resources and figures; with `example_contest`, also the
    example contest of 2021 (contest/demo.py), as `profinfo demo` loads it."""
    central = _organization(None, CENTRAL_NAME[0], CENTRAL_NAME[1], Level.CENTRAL,
                            OrganizationKind.UNION, "Российская Федерация")
    by_short = {CENTRAL_NAME[1]: central}
    for short, kind, region in TERRITORIAL:
        by_short[short] = _organization(central, full_name(short), short, Level.TERRITORIAL,
                                        kind, region)
    for short, parent in PRIMARY:
        by_short[short] = _organization(by_short[parent], short, short, Level.PRIMARY,
                                        OrganizationKind.PRIMARY, by_short[parent].region)

    Observation.objects.filter(source=Source.PRESENTATION_2022).delete()
    for short, materials, visitors, views in SITE_STATS:
        if short == "Центральный сайт профсоюза":
            site = _resource(central, Kind.SITE, short, url="https://rosprofprom.ru/",
                             is_public=True)
        else:
            site = _resource(by_short[short], Kind.SITE, f"Сайт: {full_name(short)}")
        for metric, value in ((Metric.PUBLICATIONS, materials), (Metric.VISITORS, visitors),
                              (Metric.VIEWS, views)):
            _seed_observation(site, metric, value, period_start=PERIOD[0])
    for short, community, network, subscribers in SOCIAL_STATS:
        page = _resource(by_short[short], Kind.SOCIAL, community, network=network,
                         is_official=True)
        _seed_observation(page, Metric.SUBSCRIBERS, subscribers)
    for short, title, print_type, periodicity in PRINT_EDITIONS:
        _resource(by_short[short], Kind.PRINT, title, print_type=print_type,
                  periodicity=periodicity)
    counts = {
        "organizations": Organization.objects.count(),
        "resources": Resource.objects.count(),
        "observations": Observation.objects.filter(source=Source.PRESENTATION_2022).count(),
    }
    if example_contest:
        contest = load_example_contest()  # a real contest of that year is left alone
        counts["example_contest"] = contest.year if contest.is_example else 0
    return counts


def _organization(parent, name, short, level, kind, region) -> Organization:
    existing = Organization.objects.filter(short_name=short, level=level).first()
    if existing:
        return existing
    fields = dict(name=name, short_name=short, level=level, kind=kind, region=region)
    if parent is None:
        return Organization.add_root(**fields)
    return Organization.objects.get(pk=parent.pk).add_child(**fields)


def _resource(org, kind, title, **fields) -> Resource:
    network = fields.get("network", "")
    existing = Resource.objects.filter(organization=org, kind=kind, title=title,
                                       network=network).first()
    if existing:
        return existing
    resource = Resource(organization=org, kind=kind, title=title, **fields)
    resource.full_clean(validate_unique=False, validate_constraints=False)
    resource.save()
    return resource


def _seed_observation(resource, metric, value, period_start=None) -> None:
    observation = Observation.objects.create(
        resource=resource, metric=metric, value=value, period_start=period_start,
        period_end=PERIOD[1], source=Source.PRESENTATION_2022,
        note="Данные за период с 2018 года по февраль 2022 года",
    )
    latest_values_refresh([observation])
