"""The reports of the annual review (product.md, «Reports»), each from live data.

Every function takes the reader's scope, a period and optionally an organization (its
subtree), and returns a `Report`. A site's publications in a period are counted one by one
(monitoring.selectors.publications_in_period); other figures for a period are the
observations that lie inside it: where several overlap (a yearly import and monthly entries),
the longest ones that do not overlap are taken, so nothing is counted twice.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from profinfo.formatting import CRITERION_MARKS
from profinfo.monitoring.calculations import Staleness
from profinfo.monitoring.models import Metric
from profinfo.monitoring.selectors import (
    latest_in_period,
    newest_in_period,
    period_sums,
    publications_in_period,
    stale_resources,
    stale_threshold,
)
from profinfo.organizations.models import LEVEL_NAMES, Organization, level_rank, subtree_q
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import (
    DigitalService,
    Kind,
    Network,
    Periodicity,
    PrintIssue,
    PrintType,
    Resource,
    expected_issues,
)

from .tables import Chart, Column, Report

TITLES = {
    "site-stats": "Статистика использования сайтов",
    "publication-leaders": "Лидеры по количеству публикаций",
    "social-stats": "Статистика использования соцсетей",
    "engagement": "Вовлечённость пользователей",
    "stale-pages": "Страницы без сопровождения и развития",
    "print-editions": "Печатные издания",
    "site-criteria": "Сайты по критериям",
    "digital-tech": "Цифровые технологии",
}




RESOURCE_FIELDS = ("pk", "title", "kind", "network", "url", "print_type", "periodicity",
                   "service_type", "date", "organization__name", "organization__short_name",
                   "organization__path", "organization__level")


def _resources(scope: Scope, org: Organization | None, **filters):
    qs = Resource.objects.visible_to(scope).filter(is_active=True, **filters)
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "organization__"))
    return qs.select_related("organization").only(*RESOURCE_FIELDS)


def _int(value):
    return None if value is None else int(round(value))


# --- sites ---------------------------------------------------------------------------------

SITE_COLUMNS = [Column("Профсоюзная организация"), Column("Сайт"),
                Column("Количество опубликованных материалов", "int"),
                Column("Число посетителей", "int"), Column("Число просмотров", "int")]
TRAFFIC_METRICS = (Metric.VISITORS, Metric.VIEWS)


def _site_rows(scope, start, end, org) -> tuple[list[list], dict[tuple[str, str], str]]:
    """Rows of sites with any figure in the period, and (organization, site) → a note for
    each site whose publications are known for only a part of it (its count is of that
    part)."""
    qs = _resources(scope, org, kind=Kind.SITE)
    sums = period_sums(qs, TRAFFIC_METRICS, start, end)
    publications = publications_in_period(qs, start, end)
    with_figures = {rid for rid, _ in sums} | set(publications)
    sites = qs.filter(pk__in=list(with_figures)) if len(with_figures) < 900 else qs
    rows, partial = [], {}
    for pk, short, name, level, path, title in sites.values_list(
            "pk", "organization__short_name", "organization__name", "organization__level",
            "organization__path", "title"):
        counted = publications.get(pk)
        values = [_int(counted.value) if counted else None,
                  *(_int(sums.get((pk, m))) for m in TRAFFIC_METRICS)]
        if any(v is not None for v in values):
            rows.append(((level_rank(level), path, title), [short or name, title, *values]))
            if counted and counted.partial:
                partial[(short or name, title)] = counted.note
    return [row for _, row in sorted(rows, key=lambda r: r[0])], partial


def site_stats(scope, start, end, org=None) -> Report:
    rows, partial = _site_rows(scope, start, end, org)
    return Report("site-stats", TITLES["site-stats"], SITE_COLUMNS, rows, (start, end),
                  chart=Chart("bar", 0, (3,)), notes=_partial_notes(partial))


def publication_leaders(scope, start, end, org=None, top: int = 10) -> Report:
    rows, partial = _site_rows(scope, start, end, org)
    rows = sorted((r for r in rows if r[2] is not None), key=lambda r: -r[2])[:top]
    return Report("publication-leaders", TITLES["publication-leaders"],
                  [SITE_COLUMNS[0], SITE_COLUMNS[1], SITE_COLUMNS[2]],
                  [r[:3] for r in rows], (start, end), chart=Chart("bar", 0, (2,), top),
                  notes=_partial_notes({(r[0], r[1]): partial[(r[0], r[1])]
                                        for r in rows if (r[0], r[1]) in partial}))


def _partial_notes(partial: dict[tuple[str, str], str]) -> list[str]:
    """Publications are counted one by one from the day checks first saw a site's feed or
    sitemap: before it nothing is known, so such a count is of a part of the period."""
    if not partial:
        return []
    return ["Публикации считаются поштучно с того дня, с которого их видит проверка; за "
            "часть периода данных нет: " + "; ".join(
                f"{org}, {title} — {note}" for (org, title), note in partial.items())]


# --- social networks ----------------------------------------------------------------------

NETWORKS = dict(Network.choices)
PRINT_TYPES = dict(PrintType.choices)
PERIODICITIES = dict(Periodicity.choices)


def social_stats(scope, start, end, org=None) -> Report:
    rows = [[short or name, title, NETWORKS.get(network, ""), _int(value)]
            for short, name, title, network, value in newest_in_period(
                _resources(scope, org, kind=Kind.SOCIAL), Metric.SUBSCRIBERS, start, end)
            .filter(value__isnull=False)
            .values_list("resource__organization__short_name", "resource__organization__name",
                         "resource__title", "resource__network", "value")]
    rows.sort(key=lambda r: -r[3])
    return Report("social-stats", TITLES["social-stats"],
                  [Column("Профсоюзная организация"), Column("Название сообщества"),
                   Column("Соцсеть"), Column("Количество подписчиков", "int")],
                  rows, (start, end), chart=Chart("bar", 0, (3,)))


def engagement(scope, start, end, org=None) -> Report:
    qs = _resources(scope, org, kind=Kind.SOCIAL)
    latest = latest_in_period(qs, Metric.ENGAGEMENT, start, end)
    subscribers = latest_in_period(qs, Metric.SUBSCRIBERS, start, end)
    pages = qs.filter(pk__in=list(latest)) if len(latest) < 900 else qs
    rows = []
    for pk, short, name, title, network in pages.values_list(
            "pk", "organization__short_name", "organization__name", "title", "network"):
        if pk not in latest:
            continue
        count = subscribers.get(pk)
        rows.append([short or name, title, NETWORKS.get(network, ""),
                     _int(count.value) if count else None, latest[pk].value, latest[pk].note])
    rows.sort(key=lambda r: -(r[4] or 0))
    return Report("engagement", TITLES["engagement"],
                  [Column("Профсоюзная организация"), Column("Страница"), Column("Соцсеть"),
                   Column("Подписчиков", "int"), Column("Вовлечённость", "percent"),
                   Column("Примечание")], rows, (start, end),
                  subtitle="Среднее число реакций («лайки» + комментарии + репосты) на "
                           "последние 10 публикаций ÷ число подписчиков",
                  chart=Chart("bar", 1, (4,)))


def _stale_rows(found, day, *, address: bool) -> list[list]:
    """Organization, level, page, (its address,) network, last publication and the days
    since, as of `day`."""
    return [[short or name, LEVEL_NAMES.get(level, ""), title, *([url] if address else []),
             NETWORKS.get(network, "сайт"), last, (day - last).days]
            for short, name, level, title, url, network, last in found.values_list(
                "organization__short_name", "organization__name", "organization__level",
                "title", "url", "network", "last_publication")]


def stale_pages(scope, start, end, org=None) -> Report:
    """Pages «без сопровождения и развития» on the period's last day."""
    found = stale_resources(scope=scope, state=Staleness.ABANDONED, as_of=end, subtree=org)
    return Report("stale-pages", TITLES["stale-pages"],
                  [Column("Профсоюзная организация"), Column("Уровень"), Column("Страница"),
                   Column("Соцсеть"), Column("Последняя дата обновления", "date"),
                   Column("Дней без обновлений", "int")],
                  _stale_rows(found, end, address=False), (start, end),
                  subtitle=f"Нет публикаций больше {stale_threshold(Staleness.ABANDONED)} "
                           f"дней на {end:%d.%m.%Y}")


def stale_now(scope, state: str, subtree=None, kind: str = "") -> Report:
    """The current list of sites and pages that are not kept up (the «stale pages» page)."""
    today = timezone.localdate()
    found = stale_resources(scope=scope, state=state, subtree=subtree, kind=kind)
    return Report("stale-now", "Без обновлений",
                  [Column("Организация"), Column("Уровень"), Column("Ресурс"), Column("Адрес"),
                   Column("Соцсеть"), Column("Последняя публикация", "date"),
                   Column("Дней без публикаций", "int")],
                  _stale_rows(found, today, address=True), (today, today))


def criteria_matrix_report(criteria, rows) -> Report:
    """The site criteria matrix as a file: «да», «нет», or «не проверено» where no audit
    read the site or could check the criterion."""
    marks = CRITERION_MARKS
    return Report("site-criteria", "Критерии сайтов",
                  [Column("Организация"), Column("Сайт"), Column("Адрес"),
                   *[Column(label) for _, label in criteria]],
                  [[str(r.organization), r.title, r.url, *[marks[c] for c in cells]]
                   for r, cells in rows])


# --- print ----------------------------------------------------------------------------------

def print_editions(scope, start, end, org=None) -> Report:
    chosen = _resources(scope, org, kind=Kind.PRINT)
    issues = dict(PrintIssue.objects.filter(resource__in=chosen.values("pk"), date__gte=start,
                                            date__lte=end)
                  .values("resource_id").order_by().annotate(n=Count("pk"))
                  .values_list("resource_id", "n"))
    ordered = []
    for pk, level, short, name, title, print_type, periodicity in chosen.order_by(
            "organization__path", "title").values_list(
            "pk", "organization__level", "organization__short_name", "organization__name",
            "title", "print_type", "periodicity"):
        expected = expected_issues(periodicity, start, end)
        found = issues.get(pk, 0)
        ordered.append((level_rank(level), [
            LEVEL_NAMES.get(level, ""), short or name, title, PRINT_TYPES.get(print_type, ""),
            PERIODICITIES.get(periodicity) or "не указана", found, expected,
            found / expected if expected else None]))
    ordered.sort(key=lambda item: item[0])  # by level; stable, so in tree order within one
    rows = [row for _, row in ordered]
    return Report("print-editions", TITLES["print-editions"],
                  [Column("Уровень"), Column("Профсоюзная организация"), Column("Издание"),
                   Column("Вид"), Column("Периодичность"),
                   Column("Номеров за период", "int"), Column("Должно выйти", "int"),
                   Column("Соответствие периодичности", "percent")], rows, (start, end),
                  notes=["Номера считаются по зарегистрированным в реестре выпускам."])


# --- matrices -------------------------------------------------------------------------------

def site_criteria(scope, start, end, org=None) -> Report:
    from profinfo.monitoring.selectors import criteria_matrix

    criteria, matrix = criteria_matrix(scope, org, until=end)
    rows = [[r.organization, r.title, *[CRITERION_MARKS[c] for c in cells]]
            for r, cells in matrix]
    return Report("site-criteria", TITLES["site-criteria"],
                  [Column("Профсоюзная организация"), Column("Сайт"),
                   *[Column(label) for _, label in criteria]], rows, (start, end),
                  subtitle=f"По последней проверке каждого сайта до {end:%d.%m.%Y}, с решениями "
                           "администраторов",
                  notes=["«не проверено» — сайт не проверялся, не открылся при проверке или "
                         "критерий без браузера не проверяется."])


def digital_tech(scope, start, end, org=None) -> Report:
    services = [s for s in DigitalService if s != DigitalService.OTHER]
    found: dict[int, set[str]] = defaultdict(set)
    orgs: dict[int, tuple] = {}
    for pk, level, path, short, name, service in _resources(scope, org, kind=Kind.DIGITAL) \
            .filter(Q(date__isnull=True) | Q(date__lte=end)).values_list(
                "organization_id", "organization__level", "organization__path",
                "organization__short_name", "organization__name", "service_type"):
        found[pk].add(service)
        orgs[pk] = (level_rank(level), path, short or name)
    ordered = sorted(orgs.items(), key=lambda item: item[1][:2])
    rows = [[name, *["да" if s in found[pk] else "—" for s in services],
             len(found[pk] & set(services))] for pk, (_, _, name) in ordered]
    return Report("digital-tech", TITLES["digital-tech"],
                  [Column("Профсоюзная организация"), *[Column(s.label) for s in services],
                   Column("Всего", "int")], rows, (start, end))


# What each report is built from, for a page to say why it is empty and what would fill it.
SOURCES = {
    "site-stats": "сайтов с адресом: посетители и просмотры (Яндекс.Метрика или ручной ввод) "
                  "и публикации, найденные проверкой",
    "publication-leaders": "публикаций на сайтах и страницах, найденных проверкой или "
                           "введённых вручную",
    "social-stats": "страниц в соцсетях: подписчики и публикации по проверкам ВКонтакте, "
                    "Одноклассников и Telegram или ручному вводу",
    "engagement": "последних 10 публикаций страниц ВКонтакте и Одноклассников: их находит "
                  "проверка (для ВКонтакте нужен ключ доступа PROFINFO_VK_TOKEN)",
    "stale-pages": "дат последних публикаций сайтов и страниц: их находит проверка",
    "print-editions": "печатных изданий в реестре и их номеров за период",
    "site-criteria": "проверок сайтов по 12 критериям",
    "digital-tech": "цифровых сервисов организаций в реестре",
    "ratings": "показателей и проверок ресурсов организаций за период по методике",
    "org-card": "показателей и проверок ресурсов организации за период по методике",
}

REPORTS = {
    "site-stats": site_stats,
    "publication-leaders": publication_leaders,
    "social-stats": social_stats,
    "engagement": engagement,
    "stale-pages": stale_pages,
    "print-editions": print_editions,
    "site-criteria": site_criteria,
    "digital-tech": digital_tech,
}
