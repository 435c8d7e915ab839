"""Analytics counters and CMS seen in a page's HTML (pure)."""

from __future__ import annotations

import re

METRICA = [re.compile(r"ym\(\s*(\d{4,12})\s*,\s*[\"']init[\"']"),
           re.compile(r"mc\.yandex\.ru/watch/(\d{4,12})"),
           re.compile(r"yaCounter(\d{4,12})")]
# A comment outside scripts; inside a script «<!-- … //-->» is the old way of hiding the
# code from very old browsers, and the code runs (LiveInternet's own snippet is written so).
COMMENT = re.compile(r"(<script\b[^>]*>.*?</script\s*>)|<!--.*?-->", re.S | re.I)
LIVEINTERNET = re.compile(r"counter\.yadro\.ru/hit|liveinternet\.ru/click")
CMS_SIGNS = [
    ("WordPress", re.compile(r"/wp-content/|/wp-includes/|wordpress", re.I)),
    ("Joomla", re.compile(r"/media/jui/|joomla", re.I)),
    ("1С-Битрикс", re.compile(r"/bitrix/(?:js|templates|cache)/|bitrix", re.I)),
    ("Tilda", re.compile(r"tildacdn|tilda\.ws|data-tilda", re.I)),
    ("uCoz", re.compile(r"ucoz|/\.s/src/", re.I)),
    ("Drupal", re.compile(r"drupal", re.I)),
]


def _live(html: str) -> str:
    """A counter left in an HTML comment does not count anything."""
    return COMMENT.sub(lambda match: match.group(1) or "", html)


def metrica_id(html: str) -> str | None:
    html = _live(html)
    for pattern in METRICA:
        if match := pattern.search(html):
            return match.group(1)
    return None


def has_liveinternet(html: str) -> bool:
    return bool(LIVEINTERNET.search(_live(html)))


def cms(html: str, generator: str = "") -> str:
    for name, pattern in CMS_SIGNS:
        if pattern.search(generator) or pattern.search(html[:100_000]):
            return name
    return ""
