"""Reading one cell's value as text, a number, a date or a yes/no, for the importers."""

from __future__ import annotations

import datetime as dt

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


TRUE_WORDS = {"да", "1", "true", "yes", "+", "истина", "есть", "x", "х", "✓"}
FALSE_WORDS = {"нет", "0", "false", "no", "-", "ложь", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError("ожидается «да» или «нет»")


def parse_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("ожидается целое число")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError("ожидается целое число")
        number = int(value)
    else:
        text = str(value).replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
        if not text:
            return None
        if not text.lstrip("-").isdigit():
            raise ValueError("ожидается целое число")
        number = int(text)
    if number < 0:
        raise ValueError("число не может быть отрицательным")
    return number


def parse_int_or_none(value) -> int | None:
    """For looking rows up before checking them: a bad number is simply no number."""
    try:
        return parse_int(value)
    except ValueError:
        return None


def parse_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("ожидается дата вида ДД.ММ.ГГГГ")
