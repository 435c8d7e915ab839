"""The annual review deck (PPTX), like the union's own presentation: a title slide, then each
report as native PowerPoint charts and tables that continue on the next slide instead of
running off the page."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Pt

from .render import display
from .tables import Report, period_text

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9
MARGIN = Emu(457200)
ROWS_PER_SLIDE = 12
BLUE = RGBColor(0x1F, 0x4E, 0x8C)


def build(title: str, subtitle: str, reports: list[Report]) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = subtitle
    empty = []
    for report in reports:
        if not report.rows:
            empty.append(report)  # said once, on the last slide, not a slide each
            continue
        if report.chart:
            _chart_slide(deck, report)
        _table_slides(deck, report)
    if empty:
        _empty_slide(deck, empty)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _titled(deck, text: str, note: str = ""):
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    title = slide.shapes.title
    # the default layouts are drawn for 4:3: place the title across the 16:9 slide
    title.left, title.top, title.width, title.height = (MARGIN, Emu(250000),
                                                        WIDTH - 2 * MARGIN, Emu(850000))
    title.text = text
    for paragraph in title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(26), True, BLUE
    if note:
        box = slide.shapes.add_textbox(MARGIN, Emu(1250000), WIDTH - 2 * MARGIN, Emu(400000))
        box.text_frame.text = note
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    return slide


def _empty_slide(deck, reports: list[Report]) -> None:
    """One slide for every report without data: what it is built from, so the reader
    knows what to collect next time."""
    from .queries import SOURCES

    slide = _titled(deck, "За этот период данных нет", _note(reports[0]).split(" · ")[0])
    box = slide.shapes.add_textbox(MARGIN, Emu(1800000), WIDTH - 2 * MARGIN,
                                   HEIGHT - Emu(2100000))
    frame = box.text_frame
    frame.word_wrap = True
    for index, report in enumerate(reports):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        source = SOURCES.get(report.name, "")
        paragraph.text = f"• {report.title}" + (f" — строится из {source}" if source else "")
        for run in paragraph.runs:
            run.font.size = Pt(16 if len(reports) <= 5 else 12)


def _note(report: Report) -> str:
    return " · ".join(t for t in (("Данные за период " + period_text(report.period))
                                  if report.period else "", report.subtitle) if t)


def _chart_slide(deck, report: Report) -> None:
    chart = report.chart
    rows = [r for r in report.rows if all(r[i] is not None for i in chart.value_columns)]
    if not rows:
        return  # no row has the charted figures (sites with publications but no visitors)
    rows = rows[:chart.limit][::-1]  # PowerPoint draws bars bottom up: keep the table's order
    data = CategoryChartData()
    data.categories = [_short(str(r[chart.label_column])) for r in rows]
    for index in chart.value_columns:
        column = report.columns[index]
        scale = 100 if column.kind == "percent" else 1
        data.add_series(column.title + (", %" if scale == 100 else ""),
                        [round(r[index] * scale, 2) for r in rows])
    slide = _titled(deck, report.title, _note(report))
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "bar" \
        else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind, MARGIN, Emu(1700000), WIDTH - 2 * MARGIN,
                                   HEIGHT - Emu(2000000), data)
    graph = frame.chart
    graph.has_title = True  # what the bars measure (the slide's title names the report)
    shown = f"первые {len(rows)}" if len(rows) < len(report.rows) else f"все {len(rows)}"
    graph.chart_title.text_frame.text = (", ".join(report.columns[i].title
                                                   for i in chart.value_columns)
                                         + f" ({shown})")
    graph.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    graph.has_legend = len(chart.value_columns) > 1
    if graph.has_legend:
        graph.legend.position = XL_LEGEND_POSITION.BOTTOM
        graph.legend.include_in_layout = False
    plot = graph.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(11)
    plot.data_labels.number_format = "General"
    plot.data_labels.number_format_is_linked = False
    graph.category_axis.tick_labels.font.size = Pt(11)
    graph.value_axis.tick_labels.font.size = Pt(10)
    plot.series[0].format.fill.solid()
    plot.series[0].format.fill.fore_color.rgb = BLUE


TABLE_TOP = Emu(1700000)
LINE = Emu(200000)  # one line of 10-12 pt text with the cell's padding, generously


def _table_slides(deck, report: Report) -> None:
    size = 12 if len(report.columns) <= 5 else 10 if len(report.columns) <= 8 else 8
    texts = [[display(v, c.kind) for c, v in zip(report.columns, row, strict=True)]
             for row in report.rows]
    widths = _column_widths(report, texts)
    # characters per line: an average Cyrillic letter is about 0.6 em, cells pad 0.1 in a side
    chars = [max(int((w - 182880) / (size * 7620)), 4) for w in widths]
    header = _lines([c.title for c in report.columns], chars)
    pages = _paginate(texts, chars, HEIGHT - TABLE_TOP - MARGIN - header * LINE)
    for number, rows in enumerate(pages, start=1):
        title = report.title + (f" ({number} из {len(pages)})" if len(pages) > 1 else "")
        slide = _titled(deck, title, _note(report))
        height = LINE * (header + sum(_lines(r, chars) for r in rows))
        shape = slide.shapes.add_table(len(rows) + 1, len(report.columns), MARGIN,
                                       TABLE_TOP, WIDTH - 2 * MARGIN, height)
        table = shape.table
        for index, width in enumerate(widths):
            table.columns[index].width = width
        table.rows[0].height = LINE * header
        for index, column in enumerate(report.columns):
            _cell(table.cell(0, index), column.title, Pt(size), bold=True)
        for r, row in enumerate(rows, start=1):
            table.rows[r].height = LINE * _lines(row, chars)
            for index, text in enumerate(row):
                _cell(table.cell(r, index), text, Pt(size))


def _column_widths(report: Report, texts: list[list[str]]) -> list[int]:
    """Wider columns for longer texts, numbers kept narrow, the whole slide width used."""
    weights = []
    for index, column in enumerate(report.columns):
        word = max(len(w) for w in column.title.split())  # a header never breaks a word
        longest = max([word + 2, len(column.title) // 2,
                       *(len(t[index]) for t in texts[:200])])
        floor = 12 if column.kind != "text" else 8  # «108 549», «нет данных» on one line
        weights.append(min(max(longest, floor), 40))
    total = sum(weights)
    usable = int(WIDTH - 2 * MARGIN)
    widths = [usable * w // total for w in weights]
    widths[-1] += usable - sum(widths)
    return [Emu(w) for w in widths]


def _lines(texts: list[str], chars: list[int]) -> int:
    return max(-(-max(len(t), 1) // n) for t, n in zip(texts, chars, strict=True))


def _paginate(rows: list[list[str]], chars: list[int], room: int) -> list[list[list[str]]]:
    """Rows per slide by the lines they take, never more than ROWS_PER_SLIDE."""
    pages, page, used = [], [], 0
    for row in rows:
        need = _lines(row, chars) * LINE
        if page and (used + need > room or len(page) == ROWS_PER_SLIDE):
            pages.append(page)
            page, used = [], 0
        page.append(row)
        used += need
    if page:
        pages.append(page)
    return pages


def _cell(cell, text: str, size, bold: bool = False) -> None:
    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold = size, bold
    cell.text_frame.word_wrap = True


def _short(text: str, limit: int = 45) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
