"""The union's 11 site criteria (product.md, «Sites — criteria»), decided from PageFacts.

Pure functions: pages in, a Finding per criterion out, each with evidence (the URL where it
was found and a short snippet) so that a person can check it. What a visitor cannot see
does not count: text in comments or scripts, lookalike domains, a plain link where a widget
is required, share links in place of the organization's own pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..criteria import CRITERIA
from .html import PageFacts

BODIES = (r"(?:президиума|пленума|комитета|профкома|профсоюзного комитета|совета|правления|"
          r"съезда|конференции|исполкома|выборных органов|коллегиальных органов)")
COMPOSITION = re.compile(rf"(?:состав|члены|список членов)\s+{BODIES}")
LEADERSHIP_HEADING = re.compile(r"^(?:руководство|президиум|пленум|профком|состав профкома|"
                                r"профсоюзный комитет|комитет профсоюза|выборные органы|"
                                r"коллегиальные органы)\b")
FULL_NAME = re.compile(r"[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:ович|евич|ич|овна|"
                       r"евна|ична|инична)\b")
DECISIONS = re.compile(rf"(?:постановлени[еяй]|решени[еяй])\s+{BODIES}")
MEMBERS_HEADING = re.compile(r"(?:первичные|членские|структурные|территориальные)\s+"
                             r"(?:профсоюзные\s+)?(?:организации|подразделения)")
MEMBER_ITEM = re.compile(r"\bппо\b|первичн\w* профсоюзн\w* организаци|профком\w*\s+(?:пао|ао|ооо|"
                         r"завода|предприятия)|организаци\w+ профсоюза")
ACTIVIST = re.compile(r"в помощь (?:профактиву|профсоюзному активу|председателю|профоргу)|"
                      r"методические (?:материалы|рекомендации|пособия)|"
                      r"(?:материалы|рекомендации|документы) для (?:профактива|председател)")
ASK = re.compile(r"задать вопрос|задайте вопрос|вопрос юристу|обратная связь|"
                 r"(?:онлайн|интернет)[- ]приемная|вопрос-ответ|напишите нам|написать нам|"
                 r"получить консультацию|задать свой вопрос")
FNPR_NEWS_TEXT = re.compile(r"новости фнпр|новости федерации независимых профсоюзов")
SHARE_SCRIPT = re.compile(r"yastatic\.net/share2/share\.js|yandex\.st/share/share\.js|"
                          r"yastatic\.net/share/share\.js|vk\.com/js/api/share\.js|"
                          r"uptolike\.com|pluso\.ru|addthis\.com|sharethis\.com")
SHARE_LINK = re.compile(r"vk\.com/share\.php|connect\.ok\.ru/offer|ok\.ru/dk\?.*st\.cmd="
                        r"addshare|t\.me/share|telegram\.me/share|facebook\.com/sharer|"
                        r"twitter\.com/intent|wa\.me/\?text|api\.whatsapp\.com/send")
SOCIAL_HOSTS = {"vk.com", "vk.ru", "m.vk.com", "ok.ru", "m.ok.ru", "t.me", "telegram.me",
                "dzen.ru", "rutube.ru", "max.ru"}
NOT_A_PAGE = re.compile(r"^/(?:share|js|widget_|dk|offer|away\.php|s/?$)", re.I)


@dataclass(frozen=True)
class Finding:
    present: bool | None  # None: not checked («не проверено»), never the same as False
    evidence: str | None = None


NOT_CHECKED = Finding(None)


def decide_all(pages: list[PageFacts]) -> dict[str, Finding]:
    """Every criterion over the home page (first) and the inner pages read. Without pages
    (the home page could not be read) nothing is decided: every criterion is not checked,
    and so is one no decider here measures (one that needs a browser)."""
    if not pages:
        return {code: NOT_CHECKED for code in CRITERIA}
    return {code: DECIDERS[code](pages) if code in DECIDERS else NOT_CHECKED
            for code in CRITERIA}


# --- helpers --------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _evidence(url: str, snippet: str) -> str:
    return f"{url} — «{snippet}»"


def _host_is(url: str, domain: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == domain or host.endswith("." + domain)


def _text_match(pages, pattern: re.Pattern) -> Finding | None:
    for page in pages:
        text = _norm(page.text)
        match = pattern.search(text)
        if match:
            return Finding(True, _evidence(page.url, _snippet(page.text, *match.span())))
    return None


# --- the criteria ---------------------------------------------------------------------------

def collegial_bodies(pages) -> Finding:
    if found := _text_match(pages, COMPOSITION):
        return found
    for page in pages:
        headings = [h for h in page.headings if LEADERSHIP_HEADING.match(_norm(h))]
        names = FULL_NAME.findall(page.text)
        if headings and len(set(names)) >= 2:
            return Finding(True, _evidence(page.url, f"{headings[0]}: {', '.join(names[:2])}…"))
    return Finding(False)


def body_decisions(pages) -> Finding:
    return _text_match(pages, DECISIONS) or Finding(False)


def member_organizations(pages) -> Finding:
    for page in pages:
        text = _norm(page.text)
        heading = MEMBERS_HEADING.search(text)
        if heading and len(MEMBER_ITEM.findall(text)) >= 3:
            return Finding(True, _evidence(page.url, _snippet(page.text, *heading.span())))
    return Finding(False)


def activist_materials(pages) -> Finding:
    if found := _text_match(pages, ACTIVIST):
        return found
    for page in pages:
        for link in page.links:
            if ACTIVIST.search(_norm(link.text)):
                return Finding(True, _evidence(page.url, link.text))
    return Finding(False)


def fnpr_link(pages) -> Finding:
    for page in pages:
        for link in page.links:
            if _host_is(link.url, "fnpr.ru"):
                label = "баннер" if link.has_image else (link.text or link.url)
                return Finding(True, _evidence(page.url, f"{label} → {link.url}"))
    return Finding(False)


def solidarnost_widget(pages) -> Finding:
    for page in pages:
        for source in page.script_sources + page.frame_sources:
            if _host_is(source, "solidarnost.org"):
                return Finding(True, _evidence(page.url, f"виджет {source}"))
        for script in page.inline_scripts:
            if "solidarnost.org" in script.lower():
                return Finding(True, _evidence(page.url, "информер solidarnost.org в скрипте"))
    return Finding(False)


def share_button(pages) -> Finding:
    for page in pages:
        for css in ("ya-share2", "yashare-auto-init"):
            if css in page.classes:
                return Finding(True, _evidence(page.url, f"блок «Поделиться» ({css})"))
        for source in page.script_sources:
            if SHARE_SCRIPT.search(source.lower()):
                return Finding(True, _evidence(page.url, f"скрипт {source}"))
        for link in page.links:
            if SHARE_LINK.search(link.url.lower()):
                return Finding(True, _evidence(page.url, f"ссылка «поделиться» {link.url}"))
    return Finding(False)


def own_social_links(pages) -> Finding:
    for page in pages:
        for link in page.links:
            parts = urlsplit(link.url)
            host = (parts.hostname or "").lower().removeprefix("www.")
            if host not in SOCIAL_HOSTS or SHARE_LINK.search(link.url.lower()):
                continue
            if len(parts.path.strip("/")) < 2 or NOT_A_PAGE.match(parts.path):
                continue
            return Finding(True, _evidence(page.url, f"{link.text or 'ссылка'} → {link.url}"))
    return Finding(False)


def fnpr_news(pages) -> Finding:
    for page in pages:
        fnpr_links = [link for link in page.links if _host_is(link.url, "fnpr.ru")]
        news = [link for link in fnpr_links
                if re.search(r"/(?:news|n|events|press)(?:/|$)", urlsplit(link.url).path)]
        heading = FNPR_NEWS_TEXT.search(_norm(page.text))
        if news and (heading or len(news) >= 2):
            return Finding(True, _evidence(page.url, f"{news[0].text or 'новость'} → "
                                                     f"{news[0].url}"))
        for source in page.script_sources + page.frame_sources:
            if _host_is(source, "fnpr.ru"):
                return Finding(True, _evidence(page.url, f"лента новостей {source}"))
    return Finding(False)


def ask_question(pages) -> Finding:
    for page in pages:
        for link in page.links:
            if ASK.search(_norm(link.text)):
                return Finding(True, _evidence(page.url, link.text))
        for form in page.forms:
            if form.has_textarea and re.search(r"вопрос|обращени|сообщени",
                                               _norm(form.text)):
                return Finding(True, _evidence(page.url, "форма для вопросов"))
    return Finding(False)


def mobile_layout(pages) -> Finding:
    home = pages[0] if pages else None
    if home is None or home.viewport is None:
        return Finding(False)
    if re.search(r"\bwidth\s*=", home.viewport.lower()):
        return Finding(True, _evidence(home.url, f'<meta name="viewport" '
                                                 f'content="{home.viewport}">'))
    return Finding(False)


DECIDERS = {
    "collegial_bodies": collegial_bodies, "body_decisions": body_decisions,
    "member_organizations": member_organizations, "activist_materials": activist_materials,
    "fnpr_link": fnpr_link, "solidarnost_widget": solidarnost_widget,
    "share_button": share_button, "own_social_links": own_social_links,
    "fnpr_news": fnpr_news, "ask_question": ask_question, "mobile_layout": mobile_layout,
}
