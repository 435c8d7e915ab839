"""Addresses of the contest's pages for letters and files, where a link must be absolute:
from PROFINFO_BASE_URL, by the web's URL names (the web is above the contest and is never
imported), or by the address such a page has by convention while it is not installed."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def absolute(path: str) -> str:
    return settings.PROFINFO_BASE_URL.rstrip("/") + path


def page(name: str, args: list, fallback: str) -> str:
    """The path of a named page, or `fallback` when no page has that name."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def contest_page(year: int) -> str:
    return page("contest-detail", [year], f"/contest/{year}/")


def results_page(year: int) -> str:
    return page("contest-public", [year], f"/contest/{year}/results/")
