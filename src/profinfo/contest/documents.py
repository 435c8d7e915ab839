"""The contest's documents: the protocol of the commission's meeting (DOCX) and the winners'
diplomas (DOCX from a template, and the same text as PDF).

Both read the frozen results only — the final snapshot's rows, and the disputes as their edit
history had them when the results were frozen — never a computation, so that anything done
later (a new observation, a mark changed, an organization renamed) leaves a signed protocol and
its diplomas as they were."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from profinfo.formatting import MISSING, number, percent
from profinfo.formatting import date as date_text

from .exchange import rows_as_of
from .models import Contest, Dispute, DisputeState, Result, Snapshot, SnapshotKind
from .results import (
    NORMALIZATION_TEXT,
    PRIZE_RULE_TEXT,
    TIE_RULE_TEXT,
    contest_criteria,
    criterion_key,
)
from .selectors import final_snapshot, public_results

EXAMPLE_MARK = "ПРИМЕР (демонстрационные данные)"
PROTOCOL_TITLE = "Протокол заседания конкурсной комиссии"
PLACEHOLDERS = ("организация", "номинация", "место", "год", "смотр", "дата", "председатель")
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
TEMPLATE_MAX_BYTES = 10 * 1024 * 1024
SIGNATURE_LINE = "____________________"
DASH = re.compile(r"\s+[—–-]\s+")  # «Фамилия И. О. — роль»
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря")
DECISIONS = {DisputeState.ACCEPTED: "принято", DisputeState.REJECTED: "отклонено",
             DisputeState.OPEN: "на рассмотрении"}

POINT_MM = 25.4 / 72
FONT_SETTING = "PROFINFO_PDF_FONT"  # environment: a TTF file with Cyrillic letters
FONT_PACKAGE = "fonts-dejavu-core"
FONT_CANDIDATES = (  # (regular, bold): Debian/Ubuntu, Fedora, Arch, macOS, Windows
    ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-serif-fonts/DejaVuSerif.ttf",
     "/usr/share/fonts/dejavu-serif-fonts/DejaVuSerif-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/dejavu/DejaVuSerif-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSerif.ttf", "/usr/share/fonts/TTF/DejaVuSerif-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Times New Roman.ttf",
     "/System/Library/Fonts/Supplemental/Times New Roman Bold.ttf"),
    ("C:/Windows/Fonts/times.ttf", "C:/Windows/Fonts/timesbd.ttf"),
)


class DocumentError(Exception):
    """A document that cannot be made; the message is a Russian sentence for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFrozen(DocumentError):
    pass


# --- what the documents read ------------------------------------------------------------------

def frozen_snapshot(contest: Contest) -> Snapshot:
    """The final snapshot the documents are made of; NotFrozen while there is none."""
    snapshot = final_snapshot(contest) if contest.is_frozen else None
    if snapshot is None:
        raise NotFrozen(f"Итоги смотра {contest.year} года ещё не зафиксированы: протокол и "
                        "дипломы составляются по зафиксированным итогам.")
    return snapshot


def roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for amount, letters in numerals:
        while value >= amount:
            text, value = text + letters, value - amount
    return text


def place_words(place: int) -> str:
    """3 → «III место», as diplomas and protocols name places."""
    return f"{roman(place)} место"


def points_text(value: float) -> str:
    """5 → «5 баллов», 2 → «2 балла», 5.25 → «5,25 балла»."""
    if not float(value).is_integer():
        return f"{number(value)} балла"
    whole = int(value)
    if whole % 10 == 1 and whole % 100 != 11:
        word = "балл"
    elif 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        word = "балла"
    else:
        word = "баллов"
    return f"{number(whole)} {word}"


def long_date(value) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year} г."


@dataclass
class Member:
    name: str
    role: str


def commission(contest: Contest) -> tuple[Member | None, list[Member]]:
    """(the chair, the other members) from the contest's lines «Фамилия И. О. — роль»; the
    chair is the line whose role begins with «председатель», else the first line."""
    members = []
    for line in contest.commission.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        name, *role = DASH.split(line, maxsplit=1)
        members.append(Member(name, role[0] if role else ""))
    if not members:
        return None, []
    chair = next((m for m in members if m.role.casefold().startswith("председатель")),
                 members[0])
    return chair, [m for m in members if m is not chair]


def _frozen_on(contest: Contest, snapshot: Snapshot):
    return timezone.localtime(contest.frozen_at or snapshot.created_at)


# --- the protocol -----------------------------------------------------------------------------

def protocol_docx(contest: Contest) -> bytes:
    """The protocol of the commission's meeting that summed the contest up, from its final
    snapshot only."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    snapshot = frozen_snapshot(contest)
    _, nominations = public_results(contest)
    frozen_on = _frozen_on(contest, snapshot)
    document = _new_document(landscape=True)
    if contest.is_example:
        marker = document.add_paragraph()
        marker.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = marker.add_run(EXAMPLE_MARK)
        run.bold, run.font.color.rgb = True, RGBColor(0xC0, 0x00, 0x00)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(PROTOCOL_TITLE)
    run.bold, run.font.size = True, Pt(16)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(f"{contest.title} — {contest.year} год").bold = True
    document.add_paragraph(f"Дата заседания: {date_text(frozen_on)}. Итоги зафиксированы "
                           f"{frozen_on:%d.%m.%Y в %H:%M}.")

    chair, members = commission(contest)
    document.add_heading("Состав комиссии", level=2)
    if chair is None:
        document.add_paragraph("Состав комиссии не указан.")
    for member in ([chair] if chair else []) + members:
        document.add_paragraph(f"{member.name} — {member.role}" if member.role
                               else member.name, style="List Bullet")

    document.add_heading("Порядок оценки", level=2)
    methodology = snapshot.methodology or {}
    document.add_paragraph(f"Методика оценки: «{methodology.get('title', MISSING)}» "
                           f"({methodology.get('year', MISSING)} год).")
    document.add_paragraph(_observations_text(contest, snapshot.observations or {}))
    document.add_paragraph("Правило при равенстве баллов: "
                           f"{TIE_RULE_TEXT.get(contest.tie_rule, contest.tie_rule)}.")
    document.add_paragraph(PRIZE_RULE_TEXT)
    if contest.normalize_jury:
        document.add_paragraph(NORMALIZATION_TEXT)

    disputes = _disputes(contest, snapshot)
    document.add_heading("Решение комиссии", level=2)
    document.add_paragraph("Комиссия рассмотрела заявки участников, оценки жюри и возражения "
                           "участников и утвердила следующие итоги.")
    with_results = {n.pk: n for n in nominations}
    for pk, title in contest.nominations.order_by("order", "pk").values_list("pk", "title"):
        if pk in with_results:
            _protocol_nomination(document, with_results.pop(pk), disputes)
        else:
            document.add_heading(f"Номинация «{title}»", level=3)
            document.add_paragraph("Заявок в номинации не было: итоги не подводились.")
    for nomination in with_results.values():  # a nomination removed since (kept in results)
        _protocol_nomination(document, nomination, disputes)
    _signatures(document, chair, members)
    return _save(document)


def _observations_text(contest: Contest, observations: dict) -> str:
    period = observations.get("period") or [contest.period_start.isoformat(),
                                            contest.period_end.isoformat()]
    text = f"Период оценки: с {_iso_date(period[0])} по {_iso_date(period[1])}."
    if observations.get("count"):
        text += (f" Использованы данные наблюдений с {_iso_date(observations.get('first'))} по "
                 f"{_iso_date(observations.get('last'))} (записей: "
                 f"{number(observations['count'])}).")
    else:
        text += " Данных наблюдений за период нет."
    return text


def _iso_date(text) -> str:
    if not text:
        return MISSING
    try:
        return date_text(dt.date.fromisoformat(str(text)[:10]))
    except ValueError:
        return str(text)


@dataclass
class DisputeLine:
    application_id: int
    criterion: str
    decision: str
    before: float | None
    after: float | None
    answer: str


def _disputes(contest: Contest, snapshot: Snapshot) -> list[DisputeLine]:
    """The disputes answered before the results were frozen, as they were then."""
    criteria = {c["key"]: c for c in (snapshot.methodology or {}).get("criteria", [])}
    keys = {c.pk: criterion_key(c) for c in contest_criteria(contest)}
    at = contest.frozen_at or snapshot.created_at
    lines = []
    for row in rows_as_of(Dispute, at, ["application_id", "criterion_id", "state",
                                        "points_before", "points_after", "answer"],
                          application__nomination__contest=contest):
        if row["state"] == DisputeState.OPEN:
            continue
        key = keys.get(row["criterion_id"], "")
        criterion = criteria.get(key, {})
        weight = criterion.get("weight", 1.0) or 0.0
        after = (row["points_after"] * weight
                 if row["state"] == DisputeState.ACCEPTED and row["points_after"] is not None
                 else row["points_before"])
        lines.append(DisputeLine(row["application_id"], criterion.get("title", key),
                                 DECISIONS.get(row["state"], row["state"]),
                                 row["points_before"], after, row["answer"]))
    return lines


def _protocol_nomination(document, nomination, disputes: list[DisputeLine]) -> None:
    document.add_heading(f"Номинация «{nomination.title}»", level=3)
    document.add_paragraph(f"Участников: {len(nomination.rows)}. Призовых мест: "
                           f"{nomination.places}.")
    winners = nomination.winners
    if not winners:
        document.add_paragraph("Призовые места не присуждены.")
    by_place: dict[int, list[Result]] = {}
    for result in winners:
        by_place.setdefault(result.place, []).append(result)
    for place, results in sorted(by_place.items()):
        names = "; ".join(f"{r.organization_name} ({points_text(r.total)})" for r in results)
        shared = " (место разделено)" if len(results) > 1 else ""
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{place_words(place)}{shared}: ").bold = True
        paragraph.add_run(names)

    blocks: list[str] = []
    for result in nomination.rows:
        for block in result.blocks:
            if block[0] not in blocks:
                blocks.append(block[0])
    headers = ["Место", "Организация", *blocks, "Итого", "в т. ч. жюри", "Полнота данных"]
    rows = []
    for result in nomination.rows:
        points = {b[0]: b[1] for b in result.blocks}
        rows.append([str(result.place), result.organization_name,
                     *(number(points[b]) if b in points else MISSING for b in blocks),
                     number(result.total), number(result.jury_total),
                     percent(result.completeness)])
    document.add_paragraph("Баллы участников:")
    _table(document, headers, rows)

    applications = {r.application_pk: r.organization_name for r in nomination.rows}
    answered = [d for d in disputes if d.application_id in applications]
    if answered:
        document.add_paragraph("Рассмотренные возражения участников:")
        _table(document, ["Организация", "Критерий", "Решение", "Баллы до", "Баллы после",
                          "Ответ"],
               [[applications[d.application_id], d.criterion, d.decision,
                 number(d.before), number(d.after), d.answer] for d in answered])
    else:
        document.add_paragraph("Возражений по этой номинации не было.")


def _signatures(document, chair: Member | None, members: list[Member]) -> None:
    document.add_paragraph()
    document.add_paragraph(
        f"Председатель комиссии {SIGNATURE_LINE} {chair.name if chair else ''}".rstrip())
    if members:
        document.add_paragraph("Члены комиссии:")
        for member in members:
            document.add_paragraph(f"{SIGNATURE_LINE} {member.name}")
    else:
        document.add_paragraph(f"Члены комиссии {SIGNATURE_LINE}")


def _table(document, headers: list[str], rows: list[list[str]]) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, headers, strict=True):
        cell.text = title
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _new_document(*, landscape: bool):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name, style.font.color.rgb = "Times New Roman", RGBColor(0, 0, 0)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    return document


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- diplomas ---------------------------------------------------------------------------------

def winners(contest: Contest) -> list[Result]:
    """Every winner of the frozen contest (a place within its nomination's prize places),
    nomination by nomination, best first."""
    frozen_snapshot(contest)
    _, nominations = public_results(contest)
    return [r for n in nominations for r in n.winners]


def _places_of(contest: Contest) -> dict[int, int]:
    return dict(contest.nominations.values_list("pk", "places"))


def _winning(result: Result) -> tuple[Contest, Snapshot]:
    snapshot = result.snapshot
    contest = snapshot.contest
    current = frozen_snapshot(contest)
    if snapshot.kind != SnapshotKind.FINAL or current.pk != snapshot.pk:
        raise DocumentError("Дипломы выдаются по действующим зафиксированным итогам, а эта "
                            "строка — из прежних или предварительных.")
    if result.place > _places_of(contest).get(result.nomination_pk, 3):
        raise DocumentError(f"«{result.organization_name}» заняла {result.place}-е место: "
                            "диплом выдаётся за призовые места.")
    return contest, snapshot


def diploma_values(result: Result) -> dict[str, str]:
    """What each placeholder of the template becomes for this winner."""
    contest, snapshot = _winning(result)
    chair, _ = commission(contest)
    return {"организация": result.organization_name, "номинация": result.nomination_title,
            "место": place_words(result.place), "год": str(contest.year),
            "смотр": contest.title, "дата": long_date(_frozen_on(contest, snapshot)),
            "председатель": chair.name if chair else ""}


def default_template() -> bytes:
    """The built-in diploma: landscape, «ДИПЛОМ», the place in words, made here so no binary
    file sits in the repository. Its placeholders are those an uploaded template may use."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = _new_document(landscape=True)
    lines = (  # text, size, bold, space after (points)
        ("{смотр} {год} года", 16, False, 18),
        ("ДИПЛОМ", 48, True, 12),
        ("{место}", 28, True, 18),
        ("награждается", 16, False, 6),
        ("{организация}", 24, True, 12),
        ("в номинации «{номинация}»", 18, False, 36),
        ("Председатель конкурсной комиссии " + SIGNATURE_LINE + " {председатель}", 14,
         False, 6),
        ("{дата}", 14, False, 0),
    )
    for text, size, bold, after in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(after)
        run = paragraph.add_run(text)
        run.font.size, run.bold = Pt(size), bold
    document.paragraphs[0].paragraph_format.space_before = Pt(36)
    return _save(document)


def template_refusal(data: bytes) -> str:
    """Why an uploaded file cannot be the diploma template (for the organizer's form), or an
    empty string."""
    if len(data) > TEMPLATE_MAX_BYTES:
        return f"Шаблон больше {TEMPLATE_MAX_BYTES // (1024 * 1024)} МБ."
    try:
        document = _open_docx(data)
    except DocumentError as error:
        return error.message
    text = "".join(t.text or "" for root in _roots(document)
                   for t in root.iter(_qn("w:t")))
    if "{организация}" not in text:
        return ("В шаблоне нет места для названия организации: напишите в нём "
                "{организация} (а также, где нужно, " + ", ".join(
                    "{" + p + "}" for p in PLACEHOLDERS[1:]) + ").")
    return ""


def _template(contest: Contest) -> bytes:
    if not contest.diploma_template:
        return default_template()
    try:
        with contest.diploma_template.open("rb") as file:
            data = file.read(TEMPLATE_MAX_BYTES + 1)
    except OSError as error:
        raise DocumentError("Файл шаблона диплома не найден: загрузите шаблон снова.") \
            from error
    if len(data) > TEMPLATE_MAX_BYTES:
        raise DocumentError(f"Шаблон диплома больше {TEMPLATE_MAX_BYTES // (1024 * 1024)} МБ.")
    return data


def _open_docx(data: bytes):
    from docx import Document

    try:
        return Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken file
        raise DocumentError("Шаблон диплома не открывается как документ Word (DOCX): "
                            "сохраните его в Word как «Документ Word (.docx)» и загрузите "
                            "снова.") from error


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _roots(document) -> list:
    """The body and every header and footer a template has of its own."""
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    return roots


def fill(document, values: dict[str, str]) -> None:
    """Replace every placeholder in the document's paragraphs, tables, text boxes, headers and
    footers, even one Word has split across several runs: the placeholder's first piece of
    text takes the value (and keeps its run's formatting), its other pieces are emptied."""
    paragraph_tag, text_tag = _qn("w:p"), _qn("w:t")
    for root in _roots(document):
        by_paragraph: dict[object, list] = {}
        for text in root.iter(text_tag):
            paragraph = next(text.iterancestors(paragraph_tag), None)
            if paragraph is not None:
                by_paragraph.setdefault(paragraph, []).append(text)
        for texts in by_paragraph.values():
            _replace(texts, values)


def _replace(texts: list, values: dict[str, str]) -> None:
    joined = "".join(t.text or "" for t in texts)
    matches = list(PLACEHOLDER.finditer(joined)) if "{" in joined else []
    if not matches:
        return
    starts, offset = [], 0
    for t in texts:
        starts.append(offset)
        offset += len(t.text or "")

    def holding(position: int) -> int:
        return max(i for i, start in enumerate(starts)
                   if start <= position < start + len(texts[i].text or ""))

    for match in reversed(matches):  # from the end: earlier offsets stay valid
        begin, end = match.span()
        first, last = holding(begin), holding(end - 1)
        value = values.get(match.group(1), "")
        head = texts[first].text or ""
        if first == last:
            local = begin - starts[first]
            texts[first].text = head[:local] + value + head[local + end - begin:]
        else:
            texts[first].text = head[:begin - starts[first]] + value
            for middle in texts[first + 1:last]:
                middle.text = ""
            texts[last].text = (texts[last].text or "")[end - starts[last]:]
        for t in texts[first:last + 1]:
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _diploma_document(result: Result, template: bytes | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import RGBColor

    values = diploma_values(result)
    contest = result.snapshot.contest
    document = _open_docx(template if template is not None else _template(contest))
    fill(document, values)
    if contest.is_example:
        body = document.element.body
        first = body[0] if len(body) else None
        marker = document.add_paragraph()
        marker.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = marker.add_run(EXAMPLE_MARK)
        run.bold, run.font.color.rgb = True, RGBColor(0xC0, 0x00, 0x00)
        if first is not None:
            first.addprevious(marker._p)
    return document


def diploma_docx(result: Result, *, template: bytes | None = None) -> bytes:
    """One winner's diploma: the contest's uploaded template, else the built-in one."""
    return _save(_diploma_document(result, template))


# --- PDF --------------------------------------------------------------------------------------

def pdf_fonts() -> tuple[str, str]:
    """(regular, bold) TTF files with Cyrillic letters: PROFINFO_PDF_FONT, else the system's
    or an installed package's; DocumentError naming the package to install when none is."""
    configured = os.environ.get(FONT_SETTING, "").strip()
    if configured:
        if not Path(configured).is_file():
            raise DocumentError(f"Шрифт для PDF, указанный в {FONT_SETTING}, не найден: "
                                f"{configured}.")
        return configured, configured
    candidates = list(FONT_CANDIDATES)
    spec = importlib.util.find_spec("matplotlib")  # ships DejaVu, if it happens to be installed
    for folder in (spec.submodule_search_locations or []) if spec else []:
        fonts = Path(folder) / "mpl-data" / "fonts" / "ttf"
        candidates.append((str(fonts / "DejaVuSerif.ttf"), str(fonts / "DejaVuSerif-Bold.ttf")))
    for regular, bold in candidates:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    raise DocumentError(
        "Для PDF нужен шрифт TrueType с русскими буквами, а в системе его нет. Установите "
        f"пакет {FONT_PACKAGE} (Debian, Ubuntu: apt-get install {FONT_PACKAGE}) или укажите "
        f"путь к TTF-файлу в переменной окружения {FONT_SETTING}.")


def docx_to_pdf(document) -> bytes:
    """The document's text as PDF, page by page as fpdf2 lays it out: the first section's page
    size and margins, each paragraph with its size, boldness and alignment, table rows as
    lines. Enough for a diploma; not a general converter."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table
    from fpdf import FPDF

    regular, bold = pdf_fonts()
    section = document.sections[0]
    width = (section.page_width or 0) / 36000 or 297.0  # EMU → mm
    height = (section.page_height or 0) / 36000 or 210.0
    pdf = FPDF(orientation="L" if width > height else "P", unit="mm", format=(width, height)
               if width <= height else (height, width))
    pdf.set_creator("ПрофИнфо")
    margins = [(getattr(section, side) or 0) / 36000 or 20.0
               for side in ("left_margin", "top_margin", "right_margin", "bottom_margin")]
    pdf.set_margins(margins[0], margins[1], margins[2])
    pdf.set_auto_page_break(True, margins[3])
    pdf.add_font("diploma", "", regular)
    pdf.add_font("diploma", "B", bold)
    pdf.add_page()
    aligns = {WD_ALIGN_PARAGRAPH.CENTER: "C", WD_ALIGN_PARAGRAPH.RIGHT: "R",
              WD_ALIGN_PARAGRAPH.JUSTIFY: "J"}
    header = [] if section.header.is_linked_to_previous else \
        list(section.header.iter_inner_content())
    footer = [] if section.footer.is_linked_to_previous else \
        list(section.footer.iter_inner_content())
    for item in [*header, *document.iter_inner_content(), *footer]:
        if isinstance(item, Table):
            for row in item.rows:
                texts = []
                for cell in row.cells:
                    if cell.text.strip() and cell.text not in texts:
                        texts.append(cell.text)
                _pdf_line(pdf, "    ".join(texts), 12, False, "C", 2)
            continue
        size, is_bold = _paragraph_font(item)
        alignment = item.alignment if item.alignment is not None \
            else item.style.paragraph_format.alignment
        before, after = item.paragraph_format.space_before, item.paragraph_format.space_after
        if before:
            pdf.ln(before.pt * POINT_MM)
        _pdf_line(pdf, item.text, size, is_bold, aligns.get(alignment, "L"),
                  after.pt * POINT_MM if after is not None else size * 0.15)
    return bytes(pdf.output())


def _paragraph_font(paragraph) -> tuple[float, bool]:
    size, bold = None, False
    for run in paragraph.runs:
        if run.text.strip():
            size = size or (run.font.size.pt if run.font.size else None)
            bold = bold or bool(run.bold)
    style = paragraph.style
    while size is None and style is not None:
        size = style.font.size.pt if style.font.size else None
        bold = bold or bool(style.font.bold)
        style = style.base_style
    return size or 12.0, bold


def _pdf_line(pdf, text: str, size: float, bold: bool, align: str, after_mm: float) -> None:
    pdf.set_font("diploma", "B" if bold else "", size)
    line = size * 0.45  # mm per line of this size
    if text.strip():
        pdf.multi_cell(0, line, text, align=align, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.ln(line)
    pdf.ln(after_mm)


def diploma_pdf(result: Result, *, template: bytes | None = None) -> bytes:
    """The same diploma's text as PDF."""
    return docx_to_pdf(_diploma_document(result, template))


# --- all of them ------------------------------------------------------------------------------

FORMATS = {"docx": diploma_docx, "pdf": diploma_pdf}


def diploma_name(result: Result, fmt: str, index: int = 0) -> str:
    name = f"{result.nomination_title} — {place_words(result.place)} — " \
           f"{result.organization_name}"
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name)
    name = " ".join(name.split())[:150].rstrip(" .")
    prefix = f"{index:03d} " if index else ""
    return f"{prefix}{name}.{fmt}"


def diplomas_zip(contest: Contest, fmt: str) -> bytes:
    """Every winner's diploma in one zip archive (file names in Russian, UTF-8)."""
    if fmt not in FORMATS:
        raise DocumentError("Дипломы делаются в формате docx или pdf.")
    results = winners(contest)
    template = _template(contest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, result in enumerate(results, start=1):
            archive.writestr(diploma_name(result, fmt, index),
                             FORMATS[fmt](result, template=template))
        if not results:
            archive.writestr("Победителей нет.txt",
                             "В зафиксированных итогах нет ни одного призового места.\n")
    return buffer.getvalue()
