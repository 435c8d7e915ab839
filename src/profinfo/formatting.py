"""One way to show a value to a person, in Russian: numbers, percents, dates and files.

A value nobody measured is always «нет данных», never «—», «неизвестно» or a zero, so that
«не проверено» is never read as «нет». Numbers group thousands with a no-break space and use a
decimal comma; a percent has a no-break space before «%».
"""

from __future__ import annotations

import datetime as dt

MISSING = "нет данных"
# a site criterion: found, not found, or decided by no audit (the site did not open, or the
# criterion needs a browser) — never shown as «нет»
NOT_CHECKED = "не проверено"
CRITERION_MARKS = {True: "да", False: "нет", None: NOT_CHECKED}
NBSP = "\u00a0"

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def number(value) -> str:
    """108549 → «108 549»; 1.5 → «1,50»."""
    if value is None or value == "":
        return MISSING
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}".replace(",", NBSP)
    return f"{value:,.2f}".replace(",", NBSP).replace(".", ",")


def percent(fraction) -> str:
    """A fraction as the union shows engagement: 0.0134 → «1,34 %»."""
    if fraction is None or fraction == "":
        return MISSING
    return f"{float(fraction) * 100:.2f}{NBSP}%".replace(".", ",")


def date(value) -> str:
    if value is None or value == "":
        return MISSING
    return value.strftime("%d.%m.%Y")


def plain(text: str) -> str:
    """For a console: the same text with ordinary spaces (a terminal shows no-break ones
    oddly, and people copy figures from it)."""
    return text.replace(NBSP, " ")


def display(value, kind: str) -> str:
    """A value of a typed report column: text stays as it is (empty when missing)."""
    if value is None or value == "":
        return "" if kind == "text" else MISSING
    if kind == "percent":
        return percent(value)
    if kind == "int":
        return f"{int(value):,}".replace(",", NBSP)
    if kind == "float":
        return f"{value:,.2f}".replace(",", NBSP).replace(".", ",")
    if kind == "date" and isinstance(value, dt.date):
        return date(value)
    return str(value)
