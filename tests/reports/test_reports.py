"""Reports of the annual review from live data: the seed's tables reproduced, every format
opened and looked at as a person would."""

import datetime as dt
import io
import json
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from profinfo.monitoring.models import Metric
from profinfo.monitoring.services import observation_record
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import PrintIssue, Resource
from profinfo.reports import annual, deck, render
from tests.conftest import artifacts_dir, require
from tests.factories import ADMIN, EDITOR, report_sheet, user_with

SEED_PERIOD = (dt.date(2018, 1, 1), dt.date(2022, 2, 28))
EVERYTHING = Scope(is_superuser=True)

# «Статистика использования сайтов. Данные за период с 2018 года по февраль 2022 года»,
# copied from the union's presentation (shared/seed) as it is printed there.
SEED_SITE_STATS = """
Центральный сайт профсоюза 1362 108 549 493 312
Башкортостанская республиканская 310 4 777 20 487
Татарстанская республиканская 572 3 652 14 447
Удмуртская республиканская 177 2 789 10 206
Алтайская краевая 279 3 991 21 403
Пермская краевая 213 4 039 11 933
Волгоградская областная 205 2 634 14 679
Ивановская областная 2142 6 741 25 796
Калужская областная 266 18 119 75 710
Курганская областная 272 1 880 6 624
МРО Санкт-Петербурга и Ленинградской области 170 3 248 11 401
Московская областная 233 3 272 14 011
Свердловская областная 108 2 640 11 147
Тульская областная 52 4 282 13 282
Московская городская 68 1 463 7 126
"""

# «Статистика использования соцсетей», the same period.
SEED_SOCIAL_STATS = [
    ("Свердловская областная", "Свердловская областная организация РОСПРОФПРОМ", 1215,
     "ВКонтакте"),
    ("Свердловская областная", "Свердловская областная организация РОСПРОФПРОМ", 161,
     "Одноклассники"),
    ("Башкортостанская республиканская", "РОСПРОФПРОМ-Башкортостан", 333, "ВКонтакте"),
    ("Вологодская областная", "РОСПРОФПРОМ - Вологда", 266, "ВКонтакте"),
    ("Удмуртская республиканская", "РОСПРОФПРОМ - Удмуртия", 233, "ВКонтакте"),
    ("МРО Санкт-Петербурга и Ленинградской области",
     "Профсоюз работников промышленности СПб и ЛО", 231, "ВКонтакте"),
    ("Нижегородская областная", "РОСПРОФПРОМ - Нижний Новгород", 183, "ВКонтакте"),
    ("Челябинская областная", "РОСПРОФПРОМ - Челябинск", 155, "ВКонтакте"),
    ("Пермская краевая", "Пермская краевая организация РОСПРОФПРОМ", 130, "ВКонтакте"),
]


def seed_site_rows() -> dict[str, tuple[int, int, int]]:
    rows = {}
    for line in SEED_SITE_STATS.strip().splitlines():
        words = line.split()
        numbers = [w for w in words if w.isdigit()]
        name = " ".join(w for w in words if not w.isdigit())
        # thousands are printed with a space: 108 549 is one number
        materials, rest = int(numbers[0]), numbers[1:]
        half = len(rest) // 2
        rows[name] = (materials, int("".join(rest[:half])), int("".join(rest[half:])))
    return rows


def test_seed_site_statistics_reproduced_exactly(demo):
    report = annual.build("site-stats", EVERYTHING, *SEED_PERIOD)
    got = {}
    for organization, site, materials, visitors, views in report.rows:
        name = site if site == "Центральный сайт профсоюза" else organization
        got[name] = (materials, visitors, views)
    assert got == seed_site_rows()
    assert [c.title for c in report.columns][2:] == [
        "Количество опубликованных материалов", "Число посетителей", "Число просмотров"]


def test_seed_social_statistics_reproduced_exactly(demo):
    report = annual.build("social-stats", EVERYTHING, *SEED_PERIOD)
    got = [(r[0], r[1], r[3], r[2]) for r in report.rows]
    assert got == sorted(SEED_SOCIAL_STATS, key=lambda r: -r[2])  # the seed's own order


def test_a_period_outside_the_data_gives_an_empty_report(demo):
    assert annual.build("site-stats", EVERYTHING, dt.date(2023, 1, 1),
                        dt.date(2023, 12, 31)).rows == []


def test_overlapping_figures_are_not_counted_twice(demo):
    site = Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")
    for month in (1, 2):  # monthly entries inside the seed's four-year figure
        observation_record(resource=site, metric=Metric.PUBLICATIONS, value=10,
                           period_start=dt.date(2021, month, 1),
                           period_end=dt.date(2021, month, 28))
    whole = annual.build("site-stats", EVERYTHING, *SEED_PERIOD)
    assert next(r for r in whole.rows if r[0] == "Пермская краевая")[2] == 213
    january_february = annual.build("site-stats", EVERYTHING, dt.date(2021, 1, 1),
                                    dt.date(2021, 2, 28))
    assert january_february.rows[0][2] == 20


def test_leaders_engagement_and_print_compliance(demo):
    leaders = annual.build("publication-leaders", EVERYTHING, *SEED_PERIOD)
    assert [r[0] for r in leaders.rows[:2]] == ["Ивановская областная", "РОСПРОФПРОМ"]
    assert len(leaders.rows) == 10
    page = Resource.objects.get(title="РОСПРОФПРОМ - Вологда")
    observation_record(resource=page, metric=Metric.ENGAGEMENT, value=0.0134,
                       period_end=dt.date(2022, 2, 1), source="automatic")
    engagement = annual.build("engagement", EVERYTHING, *SEED_PERIOD)
    assert engagement.rows[0][1] == "РОСПРОФПРОМ - Вологда" and engagement.rows[0][3] == 266
    newspaper = Resource.objects.get(title="Газета «РОСПРОФПРОМ-Урал»")  # monthly
    for month in range(1, 10):
        PrintIssue.objects.create(resource=newspaper, date=dt.date(2021, month, 10))
    editions = annual.build("print-editions", EVERYTHING, dt.date(2021, 1, 1),
                            dt.date(2021, 12, 31))
    row = next(r for r in editions.rows if r[2] == "Газета «РОСПРОФПРОМ-Урал»")
    assert row[4:] == ["ежемесячно", 9, 12, 0.75]
    irregular = next(r for r in editions.rows if "Рубрика" in r[2])
    assert irregular[6] is None and irregular[7] is None  # no periodicity: not judged


def test_cli_report_in_every_format_json_rows_keyed_by_headers(demo, tmp_path, capsys):
    call_command("report", "social-stats", "--from", "2018-01-01", "--to", "2022-02-28")
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"Профсоюзная организация": "Свердловская областная",
                       "Название сообщества": "Свердловская областная организация РОСПРОФПРОМ",
                       "Соцсеть": "ВКонтакте", "Количество подписчиков": 1215}
    for fmt in ("xlsx", "docx", "csv"):
        call_command("report", "site-stats", "--year", "2021", "--format", fmt,
                     "-o", str(tmp_path / f"r.{fmt}"))
        assert "Сайт" in _first_row(tmp_path / f"r.{fmt}")  # a real table with its header
    call_command("report", "annual-review", "--from", "2018-01-01", "--to", "2022-02-28",
                 "--format", "pptx", "-o", str(tmp_path / "review.pptx"))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Нет отчёта"):
        call_command("report", "no-such-report", "--year", "2021")
    with pytest.raises(CommandError, match="позже"):
        call_command("report", "site-stats", "--from", "2022-01-01", "--to", "2021-01-01")
    with pytest.raises(CommandError, match="pptx"):
        call_command("report", "annual-review", "--year", "2021", "--format", "xlsx")


def test_xlsx_keeps_numbers_as_numbers(demo):
    report = annual.build("site-stats", EVERYTHING, *SEED_PERIOD)
    content = render.to_xlsx(report)
    caption, rows = report_sheet(content)
    assert caption[:2] == ["Статистика использования сайтов",
                           "Период: с 01.01.2018 по 28.02.2022"]
    assert caption[-1].startswith("Сформировано в ПрофИнфо ")
    assert rows[0][2] == "Количество опубликованных материалов"
    assert rows[1][:5] == ("РОСПРОФПРОМ", "Центральный сайт профсоюза", 1362, 108549, 493312)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = len(caption) + 2
    assert sheet.cell(row=header + 1, column=4).number_format == "#,##0"
    assert sheet.freeze_panes == f"A{header + 1}"  # the header stays in view
    assert sheet.auto_filter.ref == f"A{header}:E{header + len(rows) - 1}"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["D"].width >= 8


def test_docx_reads_as_a_person_expects(demo):
    from docx import Document

    report = annual.build("site-stats", EVERYTHING, *SEED_PERIOD)
    document = Document(io.BytesIO(render.to_docx(report)))
    assert document.paragraphs[0].text == "Статистика использования сайтов"
    assert "с 01.01.2018 по 28.02.2022" in document.paragraphs[1].text
    table = document.tables[0]
    assert table.rows[0].cells[2].text == "Количество опубликованных материалов"
    assert table.rows[1].cells[3].text == "108\u00a0549"
    assert len(table.rows) == len(report.rows) + 1


def deck_of_seed() -> bytes:
    return annual.annual_review(EVERYTHING, *SEED_PERIOD)


def test_annual_review_deck(demo):
    from pptx import Presentation
    from pptx.util import Emu

    presentation = Presentation(io.BytesIO(deck_of_seed()))
    slides = list(presentation.slides)
    titles = [s.shapes.title.text for s in slides[1:]]
    assert slides[0].shapes.title.text == "Информационная работа: РОСПРОФПРОМ"
    for expected in ("Статистика использования сайтов", "Лидеры по количеству публикаций",
                     "Статистика использования соцсетей", "Печатные издания",
                     "Сайты по критериям"):
        assert any(t.startswith(expected) for t in titles), expected
    assert "Статистика использования сайтов (2 из 2)" in titles  # 15 rows: paginated
    charts = [shape for slide in slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) >= 3
    leaders = next(c.chart for c in charts
                   if c.chart.plots[0].categories[-1] == "Ивановская областная")
    assert list(leaders.plots[0].series[0].values)[-1] == 2142
    assert all(c.chart.has_title and c.chart.chart_title.text_frame.text for c in charts)
    assert leaders.chart_title.text_frame.text.startswith("Количество опубликованных")
    # a report without data gets no slide of its own: one slide names them all
    empty = [r for r in (annual.build(n, EVERYTHING, *SEED_PERIOD) for n in annual.ANNUAL_ORDER)
             if not r.rows]
    texts = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
             for slide in slides]
    assert "Цифровые технологии" in [r.title for r in empty]  # no digital services in 2022
    if empty:
        summary = [t for t in texts if t.startswith("За этот период данных нет")]
        assert len(summary) == 1
        for report in empty:
            assert f"• {report.title} — строится из" in summary[0]
            assert not any(t.startswith(report.title) for t in titles)
    for slide in slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= presentation.slide_width + Emu(1)
            assert shape.top + shape.height <= presentation.slide_height + Emu(1), \
                (slide.shapes.title.text, shape.name)
            if shape.has_table:
                assert len(shape.table.rows) <= deck.ROWS_PER_SLIDE + 1


@pytest.mark.slow  # LibreOffice and poppler in separate processes
def test_exports_render_in_libreoffice(demo, tmp_path):
    """Open the files as a person would: LibreOffice renders them to PDF, then PNG pages."""
    require(shutil.which("soffice") is not None and shutil.which("pdftoppm") is not None,
            "нет LibreOffice или poppler-utils (apt-get install libreoffice-impress "
            "libreoffice-writer poppler-utils)")
    (tmp_path / "review.pptx").write_bytes(deck_of_seed())
    report = annual.build("site-stats", EVERYTHING, *SEED_PERIOD)
    (tmp_path / "site-stats.docx").write_bytes(render.to_docx(report))
    for name in ("review.pptx", "site-stats.docx"):
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                        str(tmp_path), str(tmp_path / name)], check=True, timeout=180,
                       capture_output=True)
    pdf = tmp_path / "review.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Статистика использования сайтов" in text
    assert "108 549" in text.replace("\u00a0", " ")  # a number is never broken in a cell
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines()
        if line.startswith("Pages:")))
    assert pages == len(__import__("pptx").Presentation(
        str(tmp_path / "review.pptx")).slides._sldIdLst)
    artifacts = artifacts_dir()
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(artifacts / "review")],
                   check=True, timeout=120)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "site-stats.pdf"),
                    str(artifacts / "site-stats-docx")], check=True, timeout=120)


def test_report_pages_in_the_web(demo, client):
    client.force_login(user_with(EDITOR, "Свердловская областная"))
    url = reverse("report", args=["social-stats"])
    page = client.get(url, {"start": "2018-01-01", "end": "2022-02-28"}).content.decode()
    assert "1\u00a0215" in page and "Вологда" not in page  # only the editor's subtree
    sorted_page = client.get(url, {"start": "2018-01-01", "end": "2022-02-28", "sort": "3",
                                   "dir": ""}).content.decode()
    assert sorted_page.index("161") < sorted_page.index("1\u00a0215")
    export = client.get(url, {"start": "2018-01-01", "end": "2022-02-28", "format": "xlsx"})
    caption, rows = report_sheet(export.content)
    assert len(rows) == 3  # the header and the two Свердловская pages
    assert caption[1] == "Период: с 01.01.2018 по 28.02.2022"
    wrong = client.get(url, {"start": "2022-02-28", "end": "2018-01-01"}).content.decode()
    assert "Начало периода позже его конца" in wrong
    assert client.get(reverse("report", args=["no-such"])).status_code == 404
    deck_response = client.get(reverse("annual-review"), {"start": "2018-01-01",
                                                          "end": "2022-02-28",
                                                          "format": "pptx"})
    assert deck_response["Content-Type"].endswith("presentation")
    from pptx import Presentation

    text = " ".join(shape.text_frame.text if shape.has_text_frame else
                    " ".join(c.text for row in shape.table.rows for c in row.cells)
                    if shape.has_table else ""
                    for slide in Presentation(io.BytesIO(deck_response.content)).slides
                    for shape in slide.shapes)
    assert "Свердловская областная организация РОСПРОФПРОМ" in text
    assert "Вологда" not in text  # the deck too stays in the reader's scope


def test_a_long_report_is_paged_on_the_screen_and_whole_in_the_files(demo, client,
                                                                      monkeypatch):
    monkeypatch.setattr("profinfo.web.views.reports.ROWS_PER_PAGE", 5)
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    url = reverse("report", args=["site-stats"])
    period = {"start": "2018-01-01", "end": "2022-02-28"}
    first = client.get(url, period).content.decode()
    assert first.count("<tr>") - 1 == 5  # the header row, then five
    assert "страница 1 из 3" in first and "в файлах Excel, Word и CSV — все" in first
    last = client.get(url, {**period, "page": "3"}).content.decode()
    assert "страница 3 из 3" in last and "Строк: 15" in last
    assert client.get(url, {**period, "page": "много"}).status_code == 200  # the first page
    export = client.get(url, {**period, "page": "2", "format": "xlsx"})
    assert len(report_sheet(export.content)[1]) == 1 + 15


def _first_row(path) -> str:
    """The header row of a report file, read back as a person's program would."""
    if path.suffix == ".xlsx":
        return " ".join(str(c) for c in report_sheet(path.read_bytes())[1][0])
    if path.suffix == ".docx":
        from docx import Document

        return " ".join(cell.text for cell in Document(path).tables[0].rows[0].cells)
    return path.read_text(encoding="utf-8-sig").splitlines()[0]
