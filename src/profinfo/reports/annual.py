"""Building any report by its name, and the annual review made of them."""

from __future__ import annotations

import datetime as dt

from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope

from . import deck, ratings
from .queries import REPORTS, TITLES
from .tables import Report, period_text

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
    reports = [build(name, scope, start, end, org) for name in ANNUAL_ORDER]
    who = org.display_name if org else "РОСПРОФПРОМ"
    return deck.build(f"Информационная работа: {who}",
                      f"Итоги смотра. Данные {period_text((start, end))}", reports)
