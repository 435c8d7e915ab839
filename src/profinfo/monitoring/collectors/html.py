"""What a visitor can see on one HTML page, as plain data (pure: text in, PageFacts out).

Comments, scripts and styles are not visible text; links, script and frame sources, forms,
the viewport and feed links are kept with enough context to show a person the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

INVISIBLE = {"script", "style", "noscript", "template", "head", "title", "svg"}
# Elements whose text is an item of its own: a list entry, a table row, a card in a grid.
BLOCKS = {"li", "tr", "p", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "div", "td", "th",
          "section", "article", "blockquote", "figcaption"}
MAX_BLOCK_CHARS = 400
MAX_BLOCKS = 3000
# A class or id that names a navigation part: «menu», «main-nav», «site-footer», «navbar» —
# not one that merely mentions it («ast-hfb-header», «header_nopacity» on a page's body).
NAVIGATION_MARK = re.compile(r"(?:^|[-_])(?:menu|nav|navbar|navigation|footer|header|"
                             r"breadcrumbs?|topbar|top-bar)$", re.I)
PAGE_FRAME = {"html", "body", "main", "article"}
SPACES = re.compile(r"\s+")
APP_ROOT = re.compile(r"<div[^>]+id=[\"'](?:app|root|__next|__nuxt)[\"'][^>]*>\s*</div>", re.I)


@dataclass
class Link:
    url: str
    text: str
    has_image: bool = False
    in_menu: bool = False  # in the menu, header or footer
    href: str = ""  # as written in the page: "#", "javascript:…", "mailto:…"

    @property
    def goes_nowhere(self) -> bool:
        """«#», «javascript:void(0)» and the like: a label with no page behind it."""
        href = self.href.strip().lower()
        return href in ("", "#", "#!", "/#") or href.startswith("javascript:")


@dataclass
class Form:
    action: str
    text: str  # labels, placeholders, button captions
    has_textarea: bool


@dataclass
class PageFacts:
    url: str
    title: str = ""
    text: str = ""  # visible text, spaces folded
    content_text: str = ""  # visible text outside the menu, header and footer
    blocks: list[str] = field(default_factory=list)  # short items: list entries, rows, cards
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    script_sources: list[str] = field(default_factory=list)
    inline_scripts: list[str] = field(default_factory=list)
    frame_sources: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)
    viewport: str | None = None
    feeds: list[str] = field(default_factory=list)
    generator: str = ""
    raw_html: str = ""
    asks_for_javascript: bool = False
    is_document: bool = False  # a PDF or an office file where a page was expected

    def looks_script_only(self) -> bool:
        """A page built in the browser by JavaScript: (almost) no text of its own, and a
        script bundle, an empty application root or a plea to enable JavaScript."""
        if len(self.text) >= 200:
            return False
        app_root = APP_ROOT.search(self.raw_html) is not None
        return (len(self.text) < 40 and bool(self.script_sources)) or app_root \
            or self.asks_for_javascript


def parse_page(html: str, url: str) -> PageFacts:
    facts = PageFacts(url=url, raw_html=html[:200_000])
    if not html.strip():
        return facts
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return facts
    base = root.find(".//base[@href]")
    base_url = (_join(url, base.get("href")) or url) if base is not None else url
    facts.title = _fold(root.findtext(".//title") or "")
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name == "viewport":
            facts.viewport = meta.get("content") or ""
        elif name == "generator":
            facts.generator = meta.get("content") or ""
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in ("application/rss+xml", "application/atom+xml",
                                           "application/feed+json") and link.get("href"):
            facts.feeds.append(_join(base_url, link.get("href")))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        if cls := element.get("class"):
            facts.classes.update(cls.split())
        tag = element.tag.lower()
        if tag == "script":
            if src := element.get("src"):
                facts.script_sources.append(_join(base_url, src))
            elif element.text and _runs(element):
                facts.inline_scripts.append(element.text[:20_000])
        elif tag == "noscript" and "javascript" in element.text_content().lower():
            facts.asks_for_javascript = True
        elif tag == "iframe" and element.get("src"):
            facts.frame_sources.append(_join(base_url, element.get("src")))
        elif tag == "a" and element.get("href"):
            try:
                facts.links.append(_link(element, base_url))
            except ValueError:  # an address that cannot be a URL ("http://[bad")
                continue
        elif tag in ("h1", "h2", "h3", "h4"):
            facts.headings.append(_fold(element.text_content()))
        elif tag == "form":
            facts.forms.append(_form(element, base_url))
    facts.text, facts.content_text, facts.blocks = _visible_text(root)
    return facts


def _runs(script) -> bool:
    """A script the browser runs; not data («application/json», a Next.js page's
    __NEXT_DATA__, «application/ld+json»), whose addresses load nothing."""
    kind = (script.get("type") or "").strip().lower()
    return kind in ("", "text/javascript", "application/javascript", "module",
                    "text/ecmascript", "application/ecmascript")


def _link(element, base_url: str) -> Link:
    href = element.get("href").strip()
    text = _fold(element.text_content()) or _fold(element.get("title") or "")
    has_image = element.find(".//img") is not None
    if not text and has_image:
        img = element.find(".//img")
        text = _fold(img.get("alt") or img.get("title") or "")
    in_menu = any(_is_navigation(a) for a in element.iterancestors() if isinstance(a.tag, str))
    return Link(url=urljoin(base_url, href), text=text, has_image=has_image, in_menu=in_menu,
                href=href)


def _is_navigation(element) -> bool:
    if element.tag in ("nav", "header", "footer"):
        return True
    if element.tag in PAGE_FRAME:
        return False
    names = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    return any(NAVIGATION_MARK.search(name) for name in names)


def _form(element, base_url: str) -> Form:
    parts = [element.text_content()]
    for field_element in element.iter("input", "textarea", "button", "label"):
        for attribute in ("placeholder", "value", "name", "title"):
            if field_element.get(attribute):
                parts.append(field_element.get(attribute))
    return Form(action=_join(base_url, element.get("action") or ""),
                text=_fold(" ".join(parts)),
                has_textarea=element.find(".//textarea") is not None)


def _visible_text(root) -> tuple[str, str, list[str]]:
    """(all visible text, the text outside navigation, the short blocks of content)."""
    chunks: list[str] = []
    in_content: list[bool] = []  # per chunk: outside the menu, header and footer
    blocks: list[str] = []

    def add(text: str | None, content: bool) -> None:
        if text:
            chunks.append(text)
            in_content.append(content)

    def walk(element, content: bool) -> bool:
        """Walk one element; True when it holds a block element inside."""
        if not isinstance(element.tag, str) or element.tag.lower() in INVISIBLE:
            add(element.tail, content)
            return False
        tag = element.tag.lower()
        inner = content and not _is_navigation(element)
        start = len(chunks)
        add(element.text, inner)
        nested = False
        for child in element:
            nested = walk(child, inner) or nested
        is_block = tag in BLOCKS
        if is_block and not nested and inner and len(blocks) < MAX_BLOCKS:
            block = _fold(" ".join(chunks[start:]))
            if block and len(block) <= MAX_BLOCK_CHARS:
                blocks.append(block)
        add(element.tail, content)
        return nested or is_block

    body = root.find("body")
    walk(body if body is not None else root, True)
    content = [chunk for chunk, visible in zip(chunks, in_content, strict=True) if visible]
    return _fold(" ".join(chunks)), _fold(" ".join(content)), blocks


def _join(base_url: str, href: str) -> str:
    try:
        return urljoin(base_url, href.strip())
    except ValueError:
        return ""


def _fold(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, home: str) -> bool:
    return host_of(url) == host_of(home)
