"""Analytics counters and CMS seen in a page's HTML (pure)."""

from __future__ import annotations

import re

METRICA = [re.compile(r"ym\(\s*(\d{4,12})\s*,\s*[\"']init[\"']"),
           re.compile(r"mc\.yandex\.ru/watch/(\d{4,12})"),
           re.compile(r"yaCounter(\d{4,12})")]
MAX_HTML = 1_000_000  # counters and CMS marks sit in the first megabyte of a page
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
    """The page without its HTML comments: a counter left in one counts nothing. Inside a
    script «<!-- … //-->» is the old way of hiding code from very old browsers, and the
    code runs (LiveInternet's own snippet is written so). One linear pass: a hostile page
    of «<!--<!--…» or «<script<script…» costs no more than its length."""
    html, lower = html[:MAX_HTML], html[:MAX_HTML].lower()
    kept, position = [], 0
    while position < len(html):
        comment, script = html.find("<!--", position), lower.find("<script", position)
        if comment < 0 and script < 0:
            break
        if script >= 0 and (comment < 0 or script < comment):
            end = lower.find("</script", script)
            end = len(html) if end < 0 else end + len("</script")
            kept.append(html[position:end])
        else:
            kept.append(html[position:comment])
            end = html.find("-->", comment + 4)
            end = len(html) if end < 0 else end + 3
        position = end
    kept.append(html[position:])
    return "".join(kept)


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
