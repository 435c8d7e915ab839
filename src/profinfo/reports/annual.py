"""Building any report by its name, and the annual review made of them."""

from __future__ import annotations

import datetime as dt

from profinfo.contest.models import Contest, Nomination, Result, SnapshotKind
from profinfo.contest.results import wins
from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope

from . import deck, ratings
from .queries import REPORTS, TITLES
from .tables import Column, Report, period_text

ANNUAL_ORDER = ["site-stats", "publication-leaders", "social-stats", "engagement",
                "stale-pages", "print-editions", "site-criteria", "digital-tech", "ratings"]


def all_reports() -> dict:
    return {**REPORTS, **ratings.REPORTS}


def all_titles() -> dict[str, str]:
    return {**TITLES, **ratings.TITLES}


class UnknownReport(KeyError):
    pass


def build(name: str, scope: Scope, start: dt.date, end: dt.date,
          org: Organization | None = None) -> Report:
    reports = all_reports()
    if name not in reports:
        raise UnknownReport(name)
    report = reports[name](scope, start, end, org)
    if org is not None and not report.about_one_organization:
        report.subtitle = " · ".join(t for t in (report.subtitle,
                                                 f"{org.display_name} и подразделения") if t)
    return report


def annual_review(scope: Scope, start: dt.date, end: dt.date,
                  org: Organization | None = None) -> bytes:
    """The deck: «Итоги смотра» only when a contest's frozen results back it (their winners
    come first); otherwise the period's data alone, and the cover says so."""
    reports = [build(name, scope, start, end, org) for name in ANNUAL_ORDER]
    who = org.display_name if org else "РОСПРОФПРОМ"
    data = f"Данные {period_text((start, end))}"
    contest = ratings.frozen_contest(scope, end.year, or_earlier=True)
    winners = contest_winners(contest) if contest else []
    subtitle = f"{ratings.contest_title(contest)}. {data}" if winners else data
    return deck.build(f"Информационная работа: {who}", subtitle, [*winners, *reports])


def contest_winners(contest: Contest) -> list[Report]:
    """One table per nomination: the prize places of the final (frozen) results."""
    snapshot = contest.snapshots.filter(kind=SnapshotKind.FINAL, superseded=False).first()
    if snapshot is None:
        return []
    places = dict(Nomination.objects.filter(contest=contest).values_list("pk", "places"))
    by_nomination: dict[int, list[Result]] = {}
    for result in snapshot.results.order_by("nomination_pk", "place", "organization_name"):
        by_nomination.setdefault(result.nomination_pk, []).append(result)
    example = " (пример)" if contest.is_example else ""
    reports = []
    for nomination_pk, results in by_nomination.items():
        prize = [r for r in results if wins(r.place, r.total, places.get(nomination_pk, 3))]
        reports.append(Report(
            "contest-winners",
            f"Итоги смотра-конкурса {contest.year}: «{results[0].nomination_title}»{example}",
            [Column("Место", "int"), Column("Профсоюзная организация"),
             Column("Баллы", "float"), Column("Из возможных", "float"),
             Column("Баллы жюри", "float")],
            [[r.place, r.organization_name, r.total, r.maximum, r.jury_total] for r in prize],
            (contest.period_start, contest.period_end),
            subtitle=f"участников: {len(results)}"
                     + ("; пример на демонстрационных данных" if example else "")))
    return reports
