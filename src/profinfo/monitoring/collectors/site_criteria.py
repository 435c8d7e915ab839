"""The union's 11 site criteria (product.md, «Sites — criteria»), decided from PageFacts.

Pure functions: pages in, a Finding per criterion out, each with evidence (the URL where it
was found and a short snippet) so that a person can check it. What a visitor cannot see
does not count: text in comments or scripts, lookalike domains, a plain link where a widget
is required, share links in place of the organization's own pages.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..criteria import CRITERIA
from .html import Link, PageFacts, host_of, same_site

BODIES = (r"(?:президиума|пленума|комитета|профкома|профсоюзного комитета|совета|правления|"
          r"съезда|конференции|исполкома|выборных органов|коллегиальных органов|обкома|"
          r"рескома|крайкома|горкома|райкома|теркома|цк|центрального комитета|"
          r"координационного совета|молодежного совета|ревизионной комиссии|"
          r"(?:профсоюзного |общего )?собрания)")
COMPOSITION = re.compile(rf"(?:состав|члены|список членов)\s+{BODIES}")
LEADERSHIP = re.compile(r"руководств|президиум|пленум|профком|комитет|выборн|коллегиальн|"
                        r"правлени|совет\b|команд|кто есть кто|состав|аппарат|председател|"
                        r"актив\b|исполком")
FULL_NAME = re.compile(r"[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:ович|евич|ич|овна|"
                       r"евна|ична|инична)\b")
SHORT_NAME = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|"
                        r"[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+")
ROLE = re.compile(r"председател|заместител|секретар|казначе|бухгалтер|инспектор|юрист|"
                  r"специалист|руководител|член (?:президиума|профкома|комитета|совета|"
                  r"правления|ревизионной)|профорг|уполномоченн|ответственн|директор|"
                  r"заведующ|помощник|консультант|координатор|лидер")
# «Решение о выплате…» or «решение суда» is not a body's decision: the body must follow,
# at most after a number, a date or «заседания»
DECISIONS = re.compile(rf"(?:постановлени[еяйю]|решени[еяйю])\s+(?:(?:№\s*[\w/-]+|от\s+"
                       rf"[\d.]+\s*(?:г\.?)?|заседания|расширенного|очередного|выездного|"
                       rf"совместного|внеочередного)\s+){{0,3}}{BODIES}")
# minutes of a body's meeting: «Протокол заседания президиума № 29 … Слушали … Постановили:»
MINUTES = re.compile(rf"протокол\w*\s+(?:№\s*[\w/-]+\s+)?(?:(?:заседания|расширенного|"
                     rf"совместного|очередного)\s+)*{BODIES}|\b(?:постановили|решили)\s*:")
ORG_NAME = re.compile(
    r"\bппо\b|\bпервичн\w* (?:профсоюзн\w* )?организаци|"
    r"\b(?:районн|городск|территориальн|областн|краев|республиканск|межрайонн|окружн|"
    r"отраслев|объединенн)\w* (?:территориальн\w* )?(?:профсоюзн\w* )?организаци|"
    r"\b(?:пао|оао|ао|ооо|зао|нао|муп|гуп|фгуп|мбоу|маоу|мбдоу|мадоу|гбоу|гбуз|гауз|гбу|мбу|"
    r"мку|гбпоу|гапоу|фгбоу|фгбу|огбуз|кгбуз|ано|муп|мкоу|моу|мдоу|гку|фгку|фку)\s*[«\"“„]"
    r"|\bпрофком\w* (?:пао|оао|ао|ооо|зао|завода|предприятия|комбината)")
TERRITORIAL = re.compile(r"(?:районн|городск|территориальн|областн|краев|республиканск|"
                         r"межрайонн|окружн|отраслев|объединенн)")
GENERIC_WORDS = re.compile(r"^(?:ппо|первичн\w*|профсоюзн\w*|организаци\w*|профком\w*|г|"
                           r"города|сайт\w*)$")
UNION_WORDS = re.compile(r"ппо|первичн|профсоюз|профком|организаци|профбюро")
# a section of organizations («Наши организации», «Реестр ППО»), not the site's own name
# («…профсоюзной организации МБОУ…») nor «Новости организации»
MEMBERS_PAGE = re.compile(r"^(?:\w+ые |\w+ие |наши |все |список |перечень |реестр )*"
                          r"(?:организации|организаций|первички|профорганизации)\b|"
                          r"^(?:наши |реестр |перечень |список |все )?ппо$|"
                          r"структур|членск|первичные|территориальные|где мы|реестр|"
                          r"профсоюзы (?:области|края|республики|района|города)|профгрупп|"
                          r"цеховые|отделени|^состав (?:организации|объединения|федерации)$")
ACTIVIST = re.compile(
    r"в помощь (?:профактиву|профсоюзному активу|председател\w*|профорг\w*|уполномоченн\w*|"
    r"активу|профсоюзному лидеру)|методическ\w* (?:материал|рекомендаци|пособи|разработк|"
    r"указани|кабинет|копилк)|(?:материалы|рекомендации|документы|памятки|пособия) "
    r"(?:для|в помощь) (?:профактив|председател|актив|профорг|уполномоченн)|"
    r"(?:библиотек|уголок|копилк)\w* (?:председател|профактив|профорг|уполномоченн)|"
    r"школ\w* (?:профсоюзного )?актив|^профактиву$|^профактив$|^методичк")
ACTIVIST_PAGE = re.compile(r"профактив|профлидер|методическ|в помощь|памятк|библиотек|рекомендаци|"
                           r"информационн\w* бюллетен|"
                           r"^(?:школа )?актив\w*$|^профоргу|председател\w* ппо|^председателю")
ASK = re.compile(r"задать вопрос|задайте вопрос|задать свой вопрос|вопрос (?:юристу|"
                 r"правовому|специалисту|председателю)|обратная связь|приемная|"
                 r"^обращени\w*$|обращени\w* (?:граждан|членов|в профсоюз|в профком|в обком)|"
                 r"(?:электронн\w*|подать|направить|написать|отправить|оставить) обращени|"
                 r"вопрос-ответ|вопросы и ответы|напишите нам|написать нам|написать письмо|"
                 r"(?:получить|бесплатн\w*|юридическ\w*|правов\w*) консультаци|"
                 r"онлайн-консультац|^faq$|^спросить|спросите (?:юриста|специалиста|"
                 r"председателя|профком|нас)")
ASK_FORM = re.compile(r"вопрос|обращени|сообщени|жалоб|предложени|опишите")
UNDER_CONSTRUCTION = re.compile(r"в разработке|находится в стадии|скоро здесь|скоро появ|"
                                r"доступн\w* (?:только )?(?:после|для) (?:авторизац|входа|"
                                r"зарегистрирован)|авторизуйтесь|войдите в личный|"
                                r"временно не (?:работает|доступ|принима)|в личном кабинете|"
                                r"страница не найдена|материалы готовятся|наполняется|"
                                r"нет материалов|coming soon|under construction|404")
FNPR_NEWS_TEXT = re.compile(r"новости фнпр|новости федерации независимых профсоюзов")
SHARE_SCRIPT = re.compile(r"yastatic\.net/share2/share\.js|yandex\.st/share/share\.js|"
                          r"yastatic\.net/share/share\.js|vk\.com/js/api/share\.js|"
                          r"uptolike\.com|pluso\.ru|addthis\.com|sharethis\.com|addtoany\.com|"
                          r"share42|likely(?:\.min)?\.js|social-likes")
SHARE_CLASSES = ("ya-share2", "yashare-auto-init", "likely", "social-likes", "a2a_kit",
                 "share42init", "uptolike-buttons", "pluso")
SHARE_LINK = re.compile(r"vk\.com/share\.php|vk\.ru/share\.php|connect\.ok\.ru/offer|"
                        r"connect\.ok\.ru/dk\?[^#\s]{0,300}st\.cmd=widgetsharepreview|"
                        r"ok\.ru/dk\?[^#\s]{0,300}st\.cmd=addshare|t\.me/share|telegram\.me/share|facebook\.com/sharer|"
                        r"twitter\.com/(?:intent|share)|wa\.me/\?text|api\.whatsapp\.com/send|"
                        r"viber://forward|share\.yandex")
SOCIAL_HOSTS = {"vk.com", "vk.ru", "m.vk.com", "m.vk.ru", "vkontakte.ru", "ok.ru", "m.ok.ru",
                "odnoklassniki.ru", "t.me", "telegram.me", "dzen.ru", "rutube.ru", "max.ru"}
NOT_A_PAGE = re.compile(r"^/(?:share|js|widget_|dk|offer|away\.php|s/?$)", re.I)
DOCUMENT = re.compile(r"\.(?:pdf|docx?|rtf|odt|xlsx?|pptx?|zip|rar|7z)$", re.I)
MIN_OWN_TEXT = 40  # characters of a page's own content that make it more than a label


@dataclass(frozen=True)
class Finding:
    present: bool | None  # None: not checked («не проверено»), never the same as False
    evidence: str | None = None


NOT_CHECKED = Finding(None)


def decide_all(pages: list[PageFacts], *, failed: Iterable[str] = (),
               aliases: dict[str, str] | None = None) -> dict[str, Finding]:
    """Every criterion over the home page (first) and the inner pages read. Without pages
    (the home page could not be read) nothing is decided: every criterion is not checked,
    and so is one no decider here measures (one that needs a browser)."""
    if not pages:
        return {code: NOT_CHECKED for code in CRITERIA}
    pages = SitePages(pages, failed=failed, aliases=aliases)
    return {code: DECIDERS[code](pages) if code in DECIDERS else NOT_CHECKED
            for code in CRITERIA}


class SitePages(list):
    """The pages read, home page first, and what became of the links that were followed:
    so that a label in a menu counts only when there is something behind it."""

    def __init__(self, pages: list[PageFacts], *, failed: Iterable[str] = (),
                 aliases: dict[str, str] | None = None):
        super().__init__(pages)
        self.failed = {_address(url) for url in failed}
        self.by_address = {_address(page.url): page for page in pages}
        for asked, final in (aliases or {}).items():
            if _address(final) in self.by_address:
                self.by_address[_address(asked)] = self.by_address[_address(final)]
        self._shared_blocks = set(pages[0].blocks) if pages else set()

    def own_text(self, page: PageFacts) -> str:
        """What a page says of its own: its content blocks that the home page does not
        repeat (sidebars, news teasers and banners are on every page)."""
        if page is self[0]:
            return page.content_text
        return " ".join(block for block in page.blocks if block not in self._shared_blocks)

    def has_substance(self, page: PageFacts) -> bool:
        if page.is_document:
            return True
        own = self.own_text(page)
        if UNDER_CONSTRUCTION.search(_norm(own[:600])) and len(own) < 600:
            return False
        return len(own) >= MIN_OWN_TEXT or _links_documents(page) or any(f.has_textarea
                                                                        for f in page.forms)

    def leads_somewhere(self, link: Link, page: PageFacts) -> bool:
        """Whether a link leads to something: a page with content of its own, a document,
        a letter, another site, or a form on the same page (a pop-up); not «#», not a
        page that failed or is empty. A page not read (the budget ran out) is given the
        benefit of the doubt."""
        if link.href.lower().startswith("mailto:"):
            return True
        if link.goes_nowhere or link.href.startswith("#"):
            # an anchor to a form on the same page, or Tilda's pop-up form («#popup:…»)
            return link.href.startswith(("#popup:", "#order")) or (
                not link.goes_nowhere and any(f.text for f in page.forms))
        address = _address(link.url)
        if address in self.failed:
            return False
        if _is_document(link.url) or not same_site(link.url, self[0].url):
            return True
        target = self.by_address.get(address)
        return target is None or self.has_substance(target)


def _is_document(url: str) -> bool:
    return bool(DOCUMENT.search(urlsplit(url).path))


def _links_documents(page: PageFacts) -> bool:
    return any(_is_document(link.url) for link in page.links)


def _address(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/(?:index\.(?:html?|php))?$", "", parts.path) or ""
    return f"{host_of(url)}{path}?{parts.query}".rstrip("?")


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


def _content_match(pages, pattern: re.Pattern) -> Finding | None:
    """The pattern in what a page says outside its menu, header and footer: a menu item
    is a label, not the thing."""
    for page in pages:
        match = pattern.search(_norm(page.content_text))
        if match:
            return Finding(True, _evidence(page.url, _snippet(page.content_text,
                                                              *match.span())))
    return None


def _section_heading(page: PageFacts, pattern: re.Pattern) -> str | None:
    """A heading that names a section («Председателю ППО», «Наши организации»), not a
    news item's sentence that happens to hold the word («Семинар «В помощь профактиву»
    собрал председателей…»): short, and matching the pattern."""
    titles = re.split(r"\s+[—|–-]\s+|\s*\|\s*", page.title)  # «Раздел — Сайт»
    for heading in [*page.headings, *titles]:
        if _names_section(heading, pattern):
            return heading
    return None


def _names_section(label: str, pattern: re.Pattern) -> bool:
    """A label that is a section's name: short, or starting with the pattern's words."""
    match = pattern.search(_norm(label))
    return bool(match) and (len(label.split()) <= 6 or match.start() == 0)


def _page_is_about(page: PageFacts, pattern: re.Pattern) -> bool:
    return _section_heading(page, pattern) is not None


def _names(text: str) -> set[str]:
    """People named in a text: «Иванов Иван Иванович», «Иванов И.И.», «И.И. Иванов», and
    a first name beside another capitalized word («Мария Ковальчук», «Ковальчук Мария»)."""
    found = set(FULL_NAME.findall(text)) | set(SHORT_NAME.findall(text))
    for first, second in CAPITALIZED_PAIR.findall(FULL_NAME.sub(" ", text)):
        if _first_name(first) != _first_name(second):  # one first name, one surname
            found.add(f"{first} {second}")
    return found


CAPITALIZED_PAIR = re.compile(r"(?=\b([А-ЯЁ][а-яё]{1,20})\s+"
                              r"([А-ЯЁ][а-яё]{1,20}(?:-[А-ЯЁ][а-яё]+)?)\b)")


@functools.lru_cache(maxsize=20_000)
def _first_name(word: str) -> bool:
    return any("Name" in parse.tag and parse.score >= 0.25 for parse in _morph().parse(word))


@functools.cache
def _morph():
    import pymorphy3  # its dictionaries take a moment and 30 MB: only when a site is judged

    return pymorphy3.MorphAnalyzer()


def _people_with_roles(page: PageFacts) -> list[str]:
    """Names that stand with a role: in the same short block («Иванов И.И. — председатель»)
    or in the next or previous one (a card: the name, then the position)."""
    blocks, people = page.blocks, []
    for index, block in enumerate(blocks):
        names = _names(block)
        if not names or len(block) > 250 or ORG_NAME.search(_norm(block)):
            continue  # an organization's entry with its chair is not a body's member
        near = [block, *(blocks[i] for i in (index - 1, index + 1)
                         if 0 <= i < len(blocks) and len(blocks[i]) <= 120)]
        if any(ROLE.search(_norm(text)) for text in near):
            people.extend(sorted(names))
    return list(dict.fromkeys(people))


# --- the criteria ---------------------------------------------------------------------------

def collegial_bodies(pages) -> Finding:
    for page in pages:
        match = COMPOSITION.search(_norm(page.content_text))
        if match and len(_names(page.content_text)) >= 2:
            return Finding(True, _evidence(page.url, _snippet(page.content_text,
                                                              *match.span())))
    for page in pages:
        people = _people_with_roles(page)
        about = _page_is_about(page, LEADERSHIP)
        if len(people) >= 5 or (about and len(people) >= 2):
            return Finding(True, _evidence(page.url, ", ".join(people[:3]) + "…"))
    return Finding(False)


def body_decisions(pages) -> Finding:
    """A decision published is an entry: a number or a date beside it («Постановление
    президиума № 5 от 12.03.2024»), not prose about how decisions are taken, and not a
    template («Образец протокола заседания профкома»)."""
    for page in pages:
        text = _norm(page.content_text)
        labels = [_norm(link.text) for link in page.links  # items of a menu, not entries
                  if len(link.text) < 60 and not _is_document(link.url)
                  and same_site(link.url, page.url)]
        for pattern in (DECISIONS, MINUTES):
            for match in pattern.finditer(text):
                if any(match.group(0) in label for label in labels):
                    continue
                before = text[max(0, match.start() - 40):match.start()]
                near = text[max(0, match.start() - 30):match.end() + 100]
                if TEMPLATE_WORDS.search(before) or not ENTRY_MARK.search(near):
                    continue
                after = text[match.end():match.end() + 25]
                if "фнпр" in after or (HIGHER_AFTER.match(after)
                                       and not _is_higher_body(pages[0].title)):
                    continue  # a higher body's decisions are not the organization's bodies'
                return Finding(True, _evidence(page.url, _snippet(page.content_text,
                                                                  *match.span())))
    return Finding(False)


HIGHER_AFTER = re.compile(r"\s*(?:цс|цк|центрального|исполкома фнпр)\b")
TEMPLATE_WORDS = re.compile(r"(?:образ\w*|оформлени\w*|форм[аы]|бланк\w*|макет\w*|шаблон\w*|"
                            r"составлени\w*|памятк\w*)(?:\s+по)?\s*$")
ENTRY_MARK = re.compile(r"№\s*\d|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|"
                        r"\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|"
                        r"сентября|октября|ноября|декабря)|\.(?:pdf|docx?)\b|\((?:pdf|docx?)")


def member_organizations(pages) -> Finding:
    for page in pages:
        items = list(dict.fromkeys(_organizations(b for b in page.blocks
                                                  if len(b) <= 250).values()))
        names = _organizations([page.content_text])
        # without a heading naming the section, the items must be unions' organizations:
        # a list of companies is partners or employers
        unions = [item for item in items if UNION_WORDS.search(_norm(item))]
        listed = [item for item in unions if len(item) <= 150
                  and ORG_NAME.search(_norm(item)).start() <= 25]  # the item is a name
        about = _page_is_about(page, MEMBERS_PAGE)
        if (about and len(names) >= 3) or len(listed) >= 5 or len(unions) >= 10:
            return Finding(True, _evidence(page.url, "; ".join(items[:3]) + "…"))
    return Finding(False)


def _holds_materials(pages: SitePages, page: PageFacts) -> bool:
    """Documents, or text that is a memo or a recommendation — not a seminar schedule, a
    questionnaire or prose about the activists (the section's own heading aside)."""
    if page.is_document or _links_documents(page):
        return True
    text = _norm(pages.own_text(page))
    for heading in [*page.headings, page.title]:  # «Памятки» names the section, no memo
        if _names_section(heading, ACTIVIST_PAGE):
            text = text.replace(_norm(heading), " ")
    return bool(MATERIAL_WORDS.search(text))


MATERIAL_WORDS = re.compile(r"памятк|рекомендаци|методическ|пособи|образ(?:ец|цы|цов)|"
                            r"инструкци|разъяснени|алгоритм|как (?:провести|оформить|составить|"
                            r"заключить|вести)|порядок (?:проведения|оформления|работы)")


def _organization_name(text: str, start: int) -> str:
    """The name an organization pattern starts, reduced to what tells it apart: «ППО МБОУ
    «СОШ № 14»» and «первичной профсоюзной организации МБОУ СОШ № 14» are one name;
    «ППО, медсестра…» names none. A territorial one keeps the word before it
    («Ленинская районная организация»)."""
    if TERRITORIAL.match(text, start):
        start = text.rfind(" ", 0, max(0, start - 1)) + 1
    rest = text[start:start + 90]
    quoted = re.match(r"[^«\"“„]{0,45}[«\"“„][^»\"”]{1,60}[»\"”]", rest)
    name = quoted.group(0) if quoted else re.split(r"[,.;:!?()©]", rest[:60])[0]
    words = [w for w in re.findall(r"[\w№-]+", name) if not GENERIC_WORDS.match(w)]
    return " ".join(words[:4])


def _organizations(blocks) -> dict[str, str]:
    """Organization named → the first block naming it (a site repeats its own name in the
    header, the welcome text and the footer: that is one organization, not a list)."""
    seen: dict[str, str] = {}
    for block in blocks:
        text = _norm(block)
        for match in ORG_NAME.finditer(text):
            name = _organization_name(text, match.start())
            if name:
                seen.setdefault(name, block)
    return seen


def activist_materials(pages: SitePages) -> Finding:
    for page in pages[1:]:
        heading = _section_heading(page, ACTIVIST_PAGE)
        if heading and pages.has_substance(page) and _holds_materials(pages, page):
            return Finding(True, _evidence(page.url, heading))
    for page in pages:
        for link in page.links:
            if not (_names_section(link.text, ACTIVIST) and pages.leads_somewhere(link, page)):
                continue
            target = pages.by_address.get(_address(link.url))
            if target is None or _holds_materials(pages, target):
                return Finding(True, _evidence(page.url, f"{link.text} → {link.url}"))
    home = pages[0]
    if _links_documents(home):
        if heading := _section_heading(home, ACTIVIST_PAGE):  # a section of the home page
            return Finding(True, _evidence(home.url, heading))
        return _content_match([home], ACTIVIST) or Finding(False)
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
        articles = {link.url for link in page.links
                    if _host_is(link.url, "solidarnost.org") and re.search(
                        r"/(?:articles|news|\d{4})/|\d{3,}", urlsplit(link.url).path)}
        if len(articles) >= 2:  # the paper's headlines on the page: a news block of its own
            return Finding(True, _evidence(page.url, f"новости «Солидарности»: "
                                                     f"{len(articles)} ссылки"))
        for source in page.script_sources + page.frame_sources:
            if _host_is(source, "solidarnost.org"):
                return Finding(True, _evidence(page.url, f"виджет {source}"))
        for script in page.inline_scripts:
            if "solidarnost.org" in script.lower():
                return Finding(True, _evidence(page.url, "информер solidarnost.org в скрипте"))
    return Finding(False)


def share_button(pages) -> Finding:
    for page in pages:
        for css in SHARE_CLASSES:
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
        inner = page is not pages[0] and not _page_is_about(page, CONTACTS_PAGE)
        for link in page.links:
            if inner and not link.in_menu:
                continue  # a list of organizations links to their groups, not to one's own
            parts = urlsplit(link.url)
            host = (parts.hostname or "").lower().removeprefix("www.")
            if host not in SOCIAL_HOSTS or SHARE_LINK.search(link.url.lower()):
                continue
            if len(parts.path.strip("/")) < 2 or NOT_A_PAGE.match(parts.path):
                continue
            if NOT_OWN.search(_norm(f"{link.text} {parts.path}")):
                continue  # the federation's or the web studio's group is not one's own
            if PERSONAL_PAGE.match(parts.path) or FULL_NAME.search(link.text):
                continue  # a person's page (the chair's), not the organization's
            if _names_higher_body(link.text) and not _is_higher_body(pages[0].title):
                continue  # the branch union's or the regional federation's group
            return Finding(True, _evidence(page.url, f"{link.text or 'ссылка'} → {link.url}"))
        for script in page.inline_scripts:  # a community widget shows the group itself
            if match := GROUP_WIDGET.search(script):
                return Finding(True, _evidence(page.url, f"виджет сообщества {match.group(0)}"))
    return Finding(False)


PERSONAL_PAGE = re.compile(r"^/id\d+/?$|^/profile/\d+/?$")
# a union above the organization: its central committee, the all-Russian union, a federation
HIGHER_BODY = re.compile(r"\bцк\b|\bцс\b|центральн\w* (?:комитет|совет)|общероссийск|"
                         r"всероссийск|федераци\w* профсоюз|"
                         r"профсоюз\w*(?: \w+){1,5} (?:рф|россии)\b")


def _names_higher_body(text: str) -> bool:
    """A link's label naming a union above the organization («ЦК Профсоюза…», «Федерация
    профсоюзов области ВКонтакте»)."""
    return bool(HIGHER_BODY.search(_norm(text)))


def _is_higher_body(title: str) -> bool:
    """The site itself is such a union's: its name starts so («Общероссийский профсоюз…»,
    «Федерация профсоюзов…», «ЦК…»); a regional organization's name starts with its region."""
    return bool(HIGHER_BODY.match(_norm(title)))


NOT_OWN = re.compile(r"фнпр|fnpr|веб-студи|web-?studi|разработка сайта|сайт сделан")
CONTACTS_PAGE = re.compile(r"^контакт|^как (?:нас )?найти|^обратная связь|^мы в соц")
GROUP_WIDGET = re.compile(r"VK\.Widgets\.(?:Group|Community)\([^)]{0,200}\)|"
                          r"OK\.CONNECT\.insertGroupWidget\([^)]{0,200}\)")


def _fnpr_article(url: str) -> bool:
    """A news item on fnpr.ru, not its home or a section: a deeper address or a number."""
    if not _host_is(url, "fnpr.ru"):
        return False
    path = urlsplit(url).path.strip("/")
    return path.count("/") >= 1 or bool(re.search(r"\d", path))


def fnpr_news(pages) -> Finding:
    for page in pages:
        news = list({link.url: link for link in page.links if _fnpr_article(link.url)}.values())
        heading = FNPR_NEWS_TEXT.search(_norm(page.text))
        if len(news) >= 2 or (news and heading):
            return Finding(True, _evidence(page.url, f"{news[0].text or 'новость'} → "
                                                     f"{news[0].url}"))
        for source in page.script_sources + page.frame_sources:
            if _host_is(source, "fnpr.ru"):
                return Finding(True, _evidence(page.url, f"лента новостей {source}"))
    return Finding(False)


def ask_question(pages: SitePages) -> Finding:
    for page in pages:  # the button a member sees first, then a form anywhere
        for link in page.links:
            if ASK.search(_norm(link.text)) and pages.leads_somewhere(link, page):
                return Finding(True, _evidence(page.url, f"{link.text} → {link.url}"))
    for page in pages:
        for form in page.forms:
            if form.has_textarea and ASK_FORM.search(_norm(form.text)):
                return Finding(True, _evidence(page.url, "форма для вопросов"))
    return Finding(False)


def mobile_layout(pages) -> Finding:
    home = pages[0] if pages else None
    if home is None or home.viewport is None:
        return Finding(False)
    # the page follows the phone's width; a fixed «width=980» only zooms a desktop page out
    if re.search(r"\bwidth\s*=\s*device-width", home.viewport.lower()):
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
