"""How automatic criteria are measured: the facts of many organizations read in bulk, and one
rule per kind of criterion.

A rule answers for one organization: met (True), not met (False) or unknown (None: the
resource exists but was never measured in the period), with the value and where it came
from. An organization is judged on its own resources, not on its subdivisions'.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from profinfo.monitoring.collectors.site_criteria import CRITERIA
from profinfo.monitoring.models import Metric
from profinfo.monitoring.selectors import effective_criteria
from profinfo.registry.models import ISSUES_PER_YEAR, Kind, PrintIssue, Resource
from profinfo.reports.queries import latest_in_period, period_sums


@dataclass
class Outcome:
    met: bool | None
    value: object = None
    evidence: str = ""


@dataclass
class Facts:
    """What the rules need, for many organizations at once (a handful of queries)."""

    start: dt.date
    end: dt.date
    members: dict[int, int | None] = field(default_factory=dict)
    sites: dict[int, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    pages: dict[int, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    editions: dict[int, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    agitation: dict[int, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    digital: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    criteria: dict[int, dict[str, bool]] = field(default_factory=dict)  # per site
    publications: dict[int, float] = field(default_factory=dict)  # per site
    latest: dict[str, dict[int, object]] = field(default_factory=dict)  # metric → page → obs
    issues: dict[int, int] = field(default_factory=dict)  # per edition
    _findings: dict[int, dict[str, Outcome]] = field(default_factory=dict)

    def site_findings(self, org: int) -> dict[str, Outcome]:
        """Every site criterion of an organization at once (met on any of its sites)."""
        cached = self._findings.get(org)
        if cached is not None:
            return cached
        sites = self.sites.get(org, [])
        findings: dict[str, Outcome] = {}
        if not sites:
            findings = {code: _NO_SITE for code in SITE_CODES}
        else:
            audited = [s for s in sites if s.pk in self.criteria]
            for code in SITE_CODES:
                known = [s for s in audited if code in self.criteria[s.pk]]
                met = next((s for s in known if self.criteria[s.pk][code]), None)
                if met:
                    findings[code] = Outcome(True, True, f"{met.title}: выполнен")
                elif known:
                    findings[code] = Outcome(False, False, f"{known[0].title}: не выполнен")
        self._findings[org] = findings
        return findings

    @classmethod
    def collect(cls, organizations, start: dt.date, end: dt.date) -> Facts:
        """`organizations` may be a queryset: then the database filters by a subquery,
        never by a list of a hundred thousand ids."""
        facts = cls(start, end)
        members = organizations.values_list("pk", "members_count") \
            if hasattr(organizations, "values_list") \
            else [(o.pk, o.members_count) for o in organizations]
        facts.members = dict(members)
        chosen = organizations.values("pk") if hasattr(organizations, "values") \
            else [o.pk for o in organizations]
        resources = Resource.objects.filter(organization_id__in=chosen, is_active=True).only(
            "pk", "organization_id", "kind", "title", "date", "service_type", "periodicity",
            "is_youth_council", "is_leader_page")
        for resource in resources.iterator(chunk_size=5000):
            target = {Kind.SITE: facts.sites, Kind.SOCIAL: facts.pages,
                      Kind.PRINT: facts.editions, Kind.AGITATION: facts.agitation,
                      Kind.SOUVENIR: facts.agitation}.get(resource.kind)
            if target is not None:
                target[resource.organization_id].append(resource)
            elif resource.kind == Kind.DIGITAL and (resource.date is None
                                                    or resource.date <= end):
                facts.digital[resource.organization_id].add(resource.service_type)
        sites = resources.filter(kind=Kind.SITE)
        pages = resources.filter(kind=Kind.SOCIAL)
        facts.criteria = effective_criteria(sites, until=end)
        facts.publications = {rid: value for (rid, _), value in period_sums(
            sites, [Metric.PUBLICATIONS], start, end).items()}
        for metric in (Metric.SUBSCRIBERS, Metric.POSTS_PER_WEEK, Metric.ENGAGEMENT):
            facts.latest[metric] = latest_in_period(pages, metric, start, end)
        facts.issues = defaultdict(int)
        for resource_id in PrintIssue.objects.filter(
                resource__in=resources.filter(kind=Kind.PRINT).values("pk"), date__gte=start,
                date__lte=end).values_list("resource_id", flat=True):
            facts.issues[resource_id] += 1
        return facts


# --- the rules ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    label: str
    evaluate: Callable[[Facts, int, float | None], Outcome]
    needs_threshold: bool = False


def _site_criterion(code: str):
    def evaluate(facts: Facts, org: int, threshold) -> Outcome:
        return facts.site_findings(org).get(code) or _NO_AUDIT
    return evaluate


_NO_SITE = Outcome(False, evidence="у организации нет сайта в реестре")
_NO_AUDIT = Outcome(None, evidence="сайт ещё не проверялся")


def _site_publications(facts: Facts, org: int, threshold) -> Outcome:
    sites = facts.sites.get(org, [])
    if not sites:
        return Outcome(False, evidence="у организации нет сайта в реестре")
    counts = [facts.publications[s.pk] for s in sites if s.pk in facts.publications]
    if not counts:
        return Outcome(None, evidence="нет данных о публикациях за период")
    total = sum(counts)
    return Outcome(total >= threshold, total, f"опубликовано материалов: {total:.0f}")


def _social_pages(facts: Facts, org: int, threshold) -> Outcome:
    count = len(facts.pages.get(org, []))
    return Outcome(count >= threshold, count, f"страниц в соцсетях: {count}")


def _latest(facts: Facts, org: int, metric: str) -> list[float]:
    return [facts.latest[metric][p.pk].value for p in facts.pages.get(org, [])
            if p.pk in facts.latest[metric] and facts.latest[metric][p.pk].value is not None]


def _subscribers_per_member(facts: Facts, org: int, threshold) -> Outcome:
    if not facts.pages.get(org):
        return Outcome(False, evidence="нет страниц в соцсетях")
    members = facts.members.get(org)
    counts = _latest(facts, org, Metric.SUBSCRIBERS)
    if not members or not counts:
        return Outcome(None, evidence="неизвестно число членов профсоюза" if not members
                       else "нет данных о подписчиках")
    ratio = sum(counts) / members
    return Outcome(ratio >= threshold, ratio,
                   f"подписчиков {sum(counts):.0f} на {members} членов профсоюза")


def _best_of(metric: str, label: str):
    def evaluate(facts: Facts, org: int, threshold) -> Outcome:
        if not facts.pages.get(org):
            return Outcome(False, evidence="нет страниц в соцсетях")
        values = _latest(facts, org, metric)
        if not values:
            return Outcome(None, evidence="нет данных за период")
        best = max(values)
        return Outcome(best >= threshold, best, f"{label}: {best:.4g}")
    return evaluate


def _flag(attribute: str, label: str):
    def evaluate(facts: Facts, org: int, threshold) -> Outcome:
        found = [p for p in facts.pages.get(org, []) if getattr(p, attribute)]
        return Outcome(bool(found), len(found), f"{label}: {len(found)}")
    return evaluate


def _print_editions(facts: Facts, org: int, threshold) -> Outcome:
    count = len(facts.editions.get(org, []))
    return Outcome(count > 0, count, f"печатных изданий: {count}")


def _print_periodicity(facts: Facts, org: int, threshold) -> Outcome:
    months = (facts.end.year - facts.start.year) * 12 + facts.end.month - facts.start.month + 1
    ratios = []
    for edition in facts.editions.get(org, []):
        per_year = ISSUES_PER_YEAR.get(edition.periodicity)
        if per_year:
            expected = max(round(per_year * months / 12), 1)
            ratios.append(min(facts.issues.get(edition.pk, 0) / expected, 1.0))
    if not facts.editions.get(org):
        return Outcome(False, evidence="нет печатных изданий")
    if not ratios:
        return Outcome(None, evidence="у изданий не указана периодичность")
    worst = min(ratios)
    return Outcome(worst >= threshold, worst,
                   f"вышло {worst:.0%} номеров от заявленной периодичности")


def _agitation(facts: Facts, org: int, threshold) -> Outcome:
    items = [r for r in facts.agitation.get(org, [])
             if r.date is None or facts.start <= r.date <= facts.end]
    return Outcome(bool(items), len(items), f"агитационных материалов: {len(items)}")


def _digital(*types: str):
    def evaluate(facts: Facts, org: int, threshold) -> Outcome:
        found = facts.digital.get(org, set()) & set(types)
        return Outcome(bool(found), len(found), ", ".join(sorted(found)) or "нет")
    return evaluate


SITE_CODES = list(CRITERIA)

RULES: dict[str, Rule] = {
    **{f"site:{code}": Rule(f"критерий сайта «{code}»", _site_criterion(code))
       for code in SITE_CODES},
    "site_publications": Rule("публикаций на сайте за период не меньше порога",
                              _site_publications, True),
    "social_pages": Rule("страниц в соцсетях не меньше порога", _social_pages, True),
    "subscribers_per_member": Rule("подписчиков на одного члена профсоюза не меньше порога",
                                   _subscribers_per_member, True),
    "posts_per_week": Rule("публикаций в неделю (лучшая страница) не меньше порога",
                           _best_of(Metric.POSTS_PER_WEEK, "публикаций в неделю"), True),
    "engagement": Rule("вовлечённость (лучшая страница, доля) не меньше порога",
                       _best_of(Metric.ENGAGEMENT, "вовлечённость"), True),
    "youth_council_pages": Rule("есть страницы молодёжного совета",
                                _flag("is_youth_council", "страниц молодёжного совета")),
    "leader_pages": Rule("есть личные страницы руководителей",
                         _flag("is_leader_page", "личных страниц руководителей")),
    "print_editions": Rule("есть печатное издание", _print_editions),
    "print_periodicity": Rule("номера выходят с заявленной периодичностью (доля)",
                              _print_periodicity, True),
    "agitation": Rule("есть агитационные материалы за период", _agitation),
    "digital:channels": Rule("электронные каналы связи и сервисы",
                             _digital("hotline", "legal", "newsletter", "chat")),
    "digital:membership": Rule("электронный учёт членов профсоюза", _digital("membership")),
    "digital:videoconference": Rule("видеоконференцсвязь", _digital("videoconference")),
    "digital:distance_learning": Rule("дистанционное обучение", _digital("distance_learning")),
    "digital:paperless": Rule("безбумажные технологии, CRM", _digital("paperless")),
}

RULE_CHOICES = [(name, rule.label) for name, rule in RULES.items()]
# rules whose answer depends on what happened in the period (the rest describe the registry)
PERIOD_BOUND = {*(f"site:{code}" for code in SITE_CODES), "site_publications",
                "subscribers_per_member", "posts_per_week", "engagement"}
