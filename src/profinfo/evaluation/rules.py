"""How automatic criteria are measured: the facts of many organizations read in bulk, and one
rule per kind of criterion, deciding for all of them at once.

A decision for one organization is `(met, value, note)`: met True, False or None (unknown: the
resource exists but was never measured in the period), the measured value, and a note when
the rule's usual explanation of the value does not apply (no site, no data). Explanations are
written only for what a person reads (a report card), not for every organization rated.
An organization is judged on its own resources, not on its subdivisions'.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet

from profinfo.monitoring.criteria import CRITERIA
from profinfo.monitoring.models import Metric
from profinfo.monitoring.selectors import (
    PublicationCount,
    audited_criteria,
    latest_in_period,
    publications_in_period,
)
from profinfo.organizations.models import Organization
from profinfo.registry.models import Kind, PrintIssue, Resource, expected_issues

Decision = tuple  # (met: bool | None, value, note: str | None)


@dataclass(frozen=True)
class Outcome:
    """A decision as a person reads it."""

    met: bool | None
    value: object = None
    evidence: str = ""


@dataclass
class Decisions:
    """One criterion decided for many organizations: those not listed get `default`."""

    by_org: dict[int, Decision]
    default: Decision


def organizations_queryset(organizations):
    """A queryset (the database then filters by a subquery, never by a list of a hundred
    thousand ids) from a queryset or a short list of organizations."""
    if hasattr(organizations, "values"):
        return organizations
    return Organization.objects.filter(pk__in=[o.pk for o in organizations])


@dataclass
class Facts:
    """What the rules need, for many organizations at once (a handful of queries): what the
    registry lists for each organization, and its figures for one period."""

    start: dt.date
    end: dt.date
    levels: dict[int, str] = field(default_factory=dict)
    members: dict[int, int | None] = field(default_factory=dict)
    sites: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    pages: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    youth_pages: Counter = field(default_factory=Counter)
    leader_pages: Counter = field(default_factory=Counter)
    editions: dict[int, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list))  # (edition, periodicity)
    agitation: dict[int, list[dt.date | None]] = field(default_factory=lambda: defaultdict(list))
    digital: dict[int, list[tuple[str, dt.date | None]]] = field(
        default_factory=lambda: defaultdict(list))  # (service type, since)
    titles: dict[int, str] = field(default_factory=dict)  # site → title, for evidence
    resources: QuerySet | None = None
    # the period's figures
    criteria: dict[int, tuple[dt.date | None, dict[str, bool]]] = field(
        default_factory=dict)  # site → (its audit's day, criterion → met)
    publications: dict[int, PublicationCount] = field(default_factory=dict)  # per site
    latest: dict[str, dict[int, tuple[float, dt.date]]] = field(
        default_factory=dict)  # metric → page → (value, the day it describes)
    issues: Counter = field(default_factory=Counter)  # per edition
    _site_columns: dict[str, dict[int, Decision]] | None = None

    @classmethod
    def collect(cls, organizations, start: dt.date, end: dt.date) -> Facts:
        organizations = organizations_queryset(organizations)
        facts = cls(start, end)
        for pk, level, members in organizations.values_list("pk", "level", "members_count"):
            facts.levels[pk] = level
            facts.members[pk] = members
        facts.resources = Resource.objects.filter(
            organization_id__in=organizations.values("pk"), is_active=True)
        facts._sort(facts.resources.values_list(
            "pk", "organization_id", "kind", "title", "date", "service_type", "periodicity",
            "is_youth_council", "is_leader_page").iterator(chunk_size=5000))
        facts._read_figures()
        return facts

    def for_period(self, start: dt.date, end: dt.date) -> Facts:
        """The same organizations in another period: what they hold is not read again."""
        other = replace(self, start=start, end=end, criteria={}, publications={}, latest={},
                        issues=Counter(), _site_columns=None)
        other._read_figures()
        return other

    def _sort(self, rows) -> None:
        for pk, org, kind, title, date, service_type, periodicity, youth, leader in rows:
            if kind == Kind.SITE:
                self.sites[org].append(pk)
                self.titles[pk] = title
            elif kind == Kind.SOCIAL:
                self.pages[org].append(pk)
                self.youth_pages[org] += youth
                self.leader_pages[org] += leader
            elif kind == Kind.PRINT:
                self.editions[org].append((pk, periodicity))
            elif kind in (Kind.AGITATION, Kind.SOUVENIR):
                self.agitation[org].append(date)
            elif kind == Kind.DIGITAL:
                self.digital[org].append((service_type, date))

    def _read_figures(self) -> None:
        start, end = self.start, self.end
        sites = self.resources.filter(kind=Kind.SITE)
        pages = self.resources.filter(kind=Kind.SOCIAL)
        self.criteria = audited_criteria(sites, until=end)
        self.publications = publications_in_period(sites, start, end)
        for metric in (Metric.SUBSCRIBERS, Metric.POSTS_PER_WEEK, Metric.ENGAGEMENT):
            self.latest[metric] = {page: (latest.value, latest.day) for page, latest in
                                   latest_in_period(pages, metric, start, end).items()
                                   if latest.value is not None}
        self.issues = Counter(PrintIssue.objects.filter(
            resource__in=self.resources.filter(kind=Kind.PRINT).values("pk"),
            date__gte=start, date__lte=end).values_list("resource_id", flat=True)
            .iterator(chunk_size=5000))

    def site_column(self, code: str) -> dict[int, Decision]:
        """Organizations with a site → the criterion met on any of their sites."""
        if self._site_columns is None:
            self._site_columns = self._decide_site_criteria()
        return self._site_columns[code]

    def _decide_site_criteria(self) -> dict[str, dict[int, Decision]]:
        columns: dict[str, dict[int, Decision]] = {code: {} for code in SITE_CODES}
        for org, sites in self.sites.items():
            audited = [(site, *self.criteria[site]) for site in sites if site in self.criteria]
            checked = next(((self.titles[site], day) for site, day, _ in audited
                            if day is not None), None)
            for code, column in columns.items():
                # audited, but the audit could not check it: unknown, left out of the sum
                verdict = _NO_AUDIT if checked is None else (None, checked, None)
                for site, day, found in audited:
                    present = found.get(code)
                    if present:
                        verdict = (True, (self.titles[site], day), None)
                        break
                    if present is not None and verdict[0] is None:
                        verdict = (False, (self.titles[site], day), None)
                if verdict[0] is False and (unchecked := self._unchecked(sites, audited, code)):
                    # «нет» on one site, another not checked: it may be there
                    verdict = (None, verdict[1], f"не выполнен на проверенном сайте, сайт "
                                                 f"«{self.titles[unchecked]}» не проверен")
                column[org] = verdict
        return columns

    @staticmethod
    def _unchecked(sites, audited, code: str) -> int | None:
        """A site of the organization whose audit did not decide the criterion, if any."""
        decided = {site for site, _, found in audited if found.get(code) is not None}
        return next((site for site in sites if site not in decided), None)


# --- the rules ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    label: str
    decide: Callable[[Facts, float | None], Decisions]
    explain: Callable[[bool | None, object], str]  # (met, value) → evidence
    needs_threshold: bool = False

    def outcome(self, decision: Decision) -> Outcome:
        met, value, note = decision
        return Outcome(met, value, note if note is not None else self.explain(met, value))


NO_SITE = (False, None, "у организации нет сайта в реестре")
NO_PAGES = (False, None, "нет страниц в соцсетях")
_NO_AUDIT = (None, None, "сайт не проверен (проверок не было или сайт не открылся)")


def _site_criterion(code: str) -> Rule:
    def decide(facts: Facts, threshold) -> Decisions:
        return Decisions(facts.site_column(code), NO_SITE)
    return Rule(f"критерий сайта «{code}»", decide, _audit_verdict)


AUDIT_VERDICTS = {True: "выполнен", False: "не выполнен", None: "не проверено"}


def _audit_verdict(met: bool | None, site: tuple[str, dt.date | None]) -> str:
    title, day = site
    source = f" (проверка от {day:%d.%m.%Y})" if day else " (решение администратора)"
    return f"{title}: {AUDIT_VERDICTS[met]}{source}"


def _site_publications(facts: Facts, threshold) -> Decisions:
    """Met when the organization's sites published at least `threshold` materials in the
    period. A count of only a part of the period (checks saw the site's publications from
    a later day) decides only when it already reaches the threshold: below it, the part
    nobody saw might hold the rest, so the criterion is unknown, not unmet."""
    decided = {}
    for org, sites in facts.sites.items():
        counts = [facts.publications[s] for s in sites if s in facts.publications]
        total = sum(count.value for count in counts)
        partial = [count for count in counts if count.partial]
        if not counts:
            decided[org] = (None, None, "нет данных о публикациях за период")
        elif partial and total < threshold:
            since = max(count.covered_from for count in partial)
            decided[org] = (None, total, f"опубликовано материалов: не меньше {total:.0f} "
                                         f"(публикации известны только с {since:%d.%m.%Y})")
        else:
            decided[org] = (total >= threshold, total, None)
    return Decisions(decided, NO_SITE)


def _social_pages(facts: Facts, threshold) -> Decisions:
    decided = {org: (len(pages) >= threshold, len(pages), None)
               for org, pages in facts.pages.items()}
    return Decisions(decided, (0 >= threshold, 0, None))


def _latest(facts: Facts, pages: list[int], metric: str) -> list[tuple[float, dt.date]]:
    known = facts.latest[metric]
    return [known[page] for page in pages if page in known]


def _subscribers_per_member(facts: Facts, threshold) -> Decisions:
    decided = {}
    for org, pages in facts.pages.items():
        members = facts.members.get(org)
        figures = _latest(facts, pages, Metric.SUBSCRIBERS)
        if not members:
            decided[org] = (None, None, "неизвестно число членов профсоюза")
        elif not figures:
            decided[org] = (None, None, "нет данных о подписчиках")
        else:
            count = sum(value for value, _ in figures)
            ratio = count / members
            decided[org] = (ratio >= threshold,
                            (ratio, count, members, max(day for _, day in figures)), None)
    return Decisions(decided, NO_PAGES)


def _per_member(met: bool | None, figures: tuple[float, float, int, dt.date]) -> str:
    _, count, members, day = figures
    return f"подписчиков {count:.0f} на {members} членов профсоюза{_as_of(day)}"


def _as_of(day: dt.date) -> str:
    return f" (данные на {day:%d.%m.%Y})"


def _best_of(metric: str) -> Callable[[Facts, float | None], Decisions]:
    def decide(facts: Facts, threshold) -> Decisions:
        decided = {}
        for org, pages in facts.pages.items():
            figures = _latest(facts, pages, metric)
            if not figures:
                decided[org] = (None, None, "нет данных за период")
            else:
                best = max(figures)  # the value and the day it describes
                decided[org] = (best[0] >= threshold, best, None)
        return Decisions(decided, NO_PAGES)
    return decide


def _best_figure(label: str, template: str = "{:.4g}") -> Callable[[bool | None, object], str]:
    return lambda met, best: f"{label}: {template.format(best[0])}{_as_of(best[1])}"


def _pages_marked(counts: str) -> Callable[[Facts, float | None], Decisions]:
    def decide(facts: Facts, threshold) -> Decisions:
        marked = getattr(facts, counts)
        return Decisions({org: (count > 0, count, None) for org, count in marked.items()},
                         (False, 0, None))
    return decide


def _print_editions(facts: Facts, threshold) -> Decisions:
    return Decisions({org: (bool(editions), len(editions), None)
                      for org, editions in facts.editions.items()}, (False, 0, None))


def _print_periodicity(facts: Facts, threshold) -> Decisions:
    decided = {}
    for org, editions in facts.editions.items():
        ratios = []
        for edition, periodicity in editions:
            expected = expected_issues(periodicity, facts.start, facts.end)
            if expected is not None:
                ratios.append(min(facts.issues.get(edition, 0) / max(expected, 1), 1.0))
        if ratios:
            decided[org] = (min(ratios) >= threshold, min(ratios), None)
        else:
            decided[org] = (None, None, "у изданий не указана периодичность")
    return Decisions(decided, (False, None, "нет печатных изданий"))


def _agitation(facts: Facts, threshold) -> Decisions:
    decided = {}
    for org, dates in facts.agitation.items():
        count = sum(1 for d in dates if d is None or facts.start <= d <= facts.end)
        decided[org] = (count > 0, count, None)
    return Decisions(decided, (False, 0, None))


def _digital(*types: str) -> Callable[[Facts, float | None], Decisions]:
    wanted = set(types)

    def decide(facts: Facts, threshold) -> Decisions:
        decided = {}
        for org, held in facts.digital.items():
            found = {kind for kind, since in held if since is None or since <= facts.end}
            found &= wanted
            decided[org] = (bool(found), ", ".join(sorted(found)) or "нет", None)
        return Decisions(decided, (False, "нет", None))
    return decide


def _counted(label: str) -> Callable[[bool | None, object], str]:
    return lambda met, value: f"{label}: {value}"


def _as_listed(met: bool | None, services: str) -> str:
    return services  # the services found, already a sentence


def _figure(label: str, template: str = "{:.4g}") -> Callable[[bool | None, object], str]:
    return lambda met, value: f"{label}: {template.format(value)}"


SITE_CODES = list(CRITERIA)

RULES: dict[str, Rule] = {
    **{f"site:{code}": _site_criterion(code) for code in SITE_CODES},
    "site_publications": Rule("публикаций на сайте за период не меньше порога",
                              _site_publications, _figure("опубликовано материалов", "{:.0f}"),
                              True),
    "social_pages": Rule("страниц в соцсетях не меньше порога", _social_pages,
                         _counted("страниц в соцсетях"), True),
    "subscribers_per_member": Rule("подписчиков на одного члена профсоюза не меньше порога",
                                   _subscribers_per_member, _per_member, True),
    "posts_per_week": Rule("публикаций в неделю (лучшая страница) не меньше порога",
                           _best_of(Metric.POSTS_PER_WEEK), _best_figure("публикаций в неделю"),
                           True),
    "engagement": Rule("вовлечённость (лучшая страница, доля) не меньше порога",
                       _best_of(Metric.ENGAGEMENT), _best_figure("вовлечённость", "{:.2%}"), True),
    "youth_council_pages": Rule("есть страницы молодёжного совета",
                                _pages_marked("youth_pages"),
                                _counted("страниц молодёжного совета")),
    "leader_pages": Rule("есть личные страницы руководителей", _pages_marked("leader_pages"),
                         _counted("личных страниц руководителей")),
    "print_editions": Rule("есть печатное издание", _print_editions,
                           _counted("печатных изданий")),
    "print_periodicity": Rule("номера выходят с заявленной периодичностью (доля)",
                              _print_periodicity,
                              lambda met, value: f"вышло {value:.0%} номеров от заявленной "
                                                 "периодичности", True),
    "agitation": Rule("есть агитационные материалы за период", _agitation,
                      _counted("агитационных материалов")),
    "digital:channels": Rule("электронные каналы связи и сервисы",
                             _digital("hotline", "legal", "newsletter", "chat"), _as_listed),
    "digital:membership": Rule("электронный учёт членов профсоюза", _digital("membership"),
                               _as_listed),
    "digital:videoconference": Rule("видеоконференцсвязь", _digital("videoconference"),
                                    _as_listed),
    "digital:distance_learning": Rule("дистанционное обучение",
                                      _digital("distance_learning"), _as_listed),
    "digital:paperless": Rule("безбумажные технологии, CRM", _digital("paperless"),
                              _as_listed),
}

RULE_CHOICES = [(name, rule.label) for name, rule in RULES.items()]
# rules whose answer depends on what happened in the period (the rest describe the registry)
PERIOD_BOUND = {*(f"site:{code}" for code in SITE_CODES), "site_publications",
                "subscribers_per_member", "posts_per_week", "engagement"}
