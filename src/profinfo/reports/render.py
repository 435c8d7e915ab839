"""Reports as files: XLSX (numbers stay numbers), CSV, JSON, DOCX, and the annual PPTX deck."""

from __future__ import annotations

import io
import json

from django.utils import timezone

from profinfo.formatting import display
from profinfo.tabular import Table, write_csv, write_xlsx

from .tables import Report, period_text

XLSX_FORMATS = {"int": "#,##0", "float": "#,##0.00", "percent": "0.00%"}


def to_table(report: Report, caption: list[str] | None = None) -> Table:
    return Table(report.title, [c.title for c in report.columns], report.rows,
                 [XLSX_FORMATS.get(c.kind) for c in report.columns], caption)


def caption(report: Report) -> list[str]:
    """What a file sent on says about itself: the title, the period, the filters, when."""
    made = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    lines = [report.title]
    if report.period:
        lines.append(f"Период: {period_text(report.period)}")
    if report.subtitle:
        lines.append(report.subtitle)
    lines.extend(report.notes if report.about_one_organization else [])
    lines.append(f"Сформировано в ПрофИнфо {made}")
    return lines


def to_xlsx(report: Report) -> bytes:
    """The report on its sheet with its caption; a card's further tables on theirs."""
    return write_xlsx([to_table(report, caption(report)),
                       *(to_table(part, [part.title]) for part in report.parts)])


def to_csv(report: Report) -> bytes:
    return write_csv(to_table(report))


def to_json(report: Report) -> str:
    return json.dumps(report.as_dicts(), ensure_ascii=False, indent=2)


def to_docx(report: Report) -> bytes:
    """One document: the report, then the tables that belong with it (the card's resources)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    document = Document()
    more = report.parts
    if max(len(r.columns) for r in (report, *more)) > 5:  # wide tables read better so
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for part in (report, *more):
        _docx_report(document, part, level=1 if part is report else 2)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_report(document, report: Report, level: int) -> None:
    from docx.shared import Pt

    document.add_heading(report.title, level=level)
    if text := " · ".join(t for t in (period_text(report.period), report.subtitle) if t):
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=len(report.columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, report.columns, strict=True):
        cell.text = column.title
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in report.rows:
        cells = table.add_row().cells
        for cell, column, value in zip(cells, report.columns, row, strict=True):
            cell.text = display(value, column.kind)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    if not report.rows:
        document.add_paragraph("За этот период данных нет.")
    for note in report.notes:
        document.add_paragraph(note)


WRITERS = {  # format → the report as that file's bytes (content types: formatting)
    "xlsx": to_xlsx,
    "csv": to_csv,
    "json": lambda r: to_json(r).encode(),
    "docx": to_docx,
}
