"""Reports as files: XLSX (numbers stay numbers), CSV, JSON, DOCX, and the annual PPTX deck."""

from __future__ import annotations

import datetime as dt
import io
import json

from profinfo.tabular import Table, write_csv, write_xlsx

from .tables import Report, period_text

XLSX_FORMATS = {"int": "#,##0", "float": "#,##0.00", "percent": "0.00%"}
NO_DATA = "нет данных"


def display(value, kind: str) -> str:
    """A value as a person reads it in Russian: 108 549; 1,5; 1,34 %; 28.02.2022."""
    if value is None or value == "":
        return NO_DATA if kind != "text" else ""
    if kind == "percent":
        return f"{value * 100:.2f}\u00a0%".replace(".", ",")
    if kind == "int":
        return f"{int(value):,}".replace(",", "\u00a0")
    if kind == "float":
        return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
    if kind == "date" and isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def to_table(report: Report) -> Table:
    return Table(report.title, [c.title for c in report.columns], report.rows,
                 [XLSX_FORMATS.get(c.kind) for c in report.columns])


def to_xlsx(report: Report) -> bytes:
    return write_xlsx([to_table(report)])


def to_csv(report: Report) -> bytes:
    return write_csv(to_table(report))


def to_json(report: Report) -> str:
    return json.dumps(report.as_dicts(), ensure_ascii=False, indent=2)


def to_docx(report: Report, *more: Report) -> bytes:
    """One document: the report, then any further tables (the card's resources)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    document = Document()
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


FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "csv": ("text/csv; charset=utf-8", to_csv),
    "json": ("application/json; charset=utf-8", lambda r: to_json(r).encode()),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             to_docx),
}
