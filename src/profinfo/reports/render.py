"""Reports as files: XLSX (numbers stay numbers), CSV, JSON, DOCX, and the annual PPTX deck."""

from __future__ import annotations

import io
import json

from profinfo.formatting import display
from profinfo.tabular import Table, write_csv, write_xlsx

from .tables import Report, period_text

XLSX_FORMATS = {"int": "#,##0", "float": "#,##0.00", "percent": "0.00%"}


def to_table(report: Report) -> Table:
    return Table(report.title, [c.title for c in report.columns], report.rows,
                 [XLSX_FORMATS.get(c.kind) for c in report.columns])


def to_xlsx(report: Report) -> bytes:
    return write_xlsx([to_table(report)])


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
