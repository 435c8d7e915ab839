"""Hostile spreadsheets: each ends with a Russian sentence, within a time and memory bound.

The files are built here byte by byte, the way an attacker would write them, not with a
library that would refuse to write them.
"""

from __future__ import annotations

import io
import threading
import time
import tracemalloc
import zipfile
import zlib

import pytest

from profinfo.tabular import ReadLimits, TableError, read_tables

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Ресурсы" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(sheet: bytes | str | None = None, *, strings: str | None = None,
             sheet_chunks=None, extra_parts: int = 0) -> bytes:
    """A minimal XLSX around the given sheet XML (or chunks of it, compressed as they come)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", strings)
        if sheet_chunks is not None:
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                for chunk in sheet_chunks:
                    out.write(chunk)
        else:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for n in range(extra_parts):
            archive.writestr(f"xl/media/{n}.xml", "<a/>")
    return buffer.getvalue()


def sheet_xml(rows: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{dim}<sheetData>{rows}</sheetData></worksheet>"


def numbered_empty_rows(count: int) -> str:
    return sheet_xml("".join(f'<row r="{n}"/>' for n in range(1, count + 1)))


def empty_rows_chunks(total_bytes: int):
    block = b"<row/>" * 100_000
    yield SHEET_HEAD.encode() + b"<sheetData>"
    for _ in range(total_bytes // len(block)):
        yield block
    yield b"</sheetData></worksheet>"


def read_all(data: bytes, filename: str = "x.xlsx", limits: ReadLimits | None = None):
    sheets = read_tables(data, filename, limits=limits)
    return [(sheet.headers, list(sheet.rows)) for sheet in sheets]


def outcome(data: bytes, filename: str = "x.xlsx", limits: ReadLimits | None = None):
    """(message or None, seconds, peak MB of Python memory) of reading the whole file."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        read_all(data, filename, limits)
        message = None
    except TableError as exc:
        message = str(exc)
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return message, seconds, peak


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row>'
    '</sheetData></worksheet>')
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    '</sheetData></worksheet>')

# (name, file, expected words of the message or None when the file reads, limits)
CASES = [
    ("dimension A1:XFD1048576, one row at the last line (the 1.5 KB file)",
     lambda: workbook(sheet_xml(f'<row r="1048576">{cell("A1048576", "№")}</row>',
                                "A1:XFD1048576")), None, None),
    ("dimension A1:XFD9001 with 9,000 one-cell rows (the 46 KB file)",
     lambda: workbook(sheet_xml("".join(f'<row r="{n}">{cell(f"A{n}", "x")}</row>'
                                        for n in range(1, 9001)), "A1:XFD9001")),
     None, None),
    ("a 300 MB sheet of <row/> packed small (the zip bomb)",
     lambda: workbook(sheet_chunks=empty_rows_chunks(300 * 2**20)), "распаковывается", None),
    ("a 150 MB sheet of <row/>: within the size, over the compression ratio",
     lambda: workbook(sheet_chunks=empty_rows_chunks(150 * 2**20)), "сжата", None),
    ("250,000 empty rows are counted",
     lambda: workbook(numbered_empty_rows(250_000)), "строк (считая пустые)", None),
    ("a value in column XFD",
     lambda: workbook(sheet_xml(f'<row r="1">{cell("XFD1", "x")}</row>')), "столбец", None),
    ("a row of 20,000 cells",
     lambda: workbook(sheet_xml('<row r="1">' + '<c s="1"/>' * 20_000 + "</row>")),
     "ячеек", None),
    ("cells over the limit, empty ones included",
     lambda: workbook(sheet_xml("".join('<row>' + '<c/>' * 10 + '</row>' for _ in range(200)))),
     "ячеек", ReadLimits(max_cells=1000)),
    ("billion laughs", lambda: workbook(BILLION_LAUGHS), "DTD", None),
    ("external entity", lambda: workbook(XXE), "DTD", None),
    ("entities hidden in UTF-16",
     lambda: workbook(XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" '
                                  'encoding="UTF-16"?>').encode("utf-16")), "повреждён", None),
    ("entity in the shared strings",
     lambda: workbook(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                      strings=BILLION_LAUGHS.replace("worksheet", "sst")), "DTD", None),
    ("malformed XML", lambda: workbook(SHEET_HEAD + "<sheetData><row><c>"), "повреждён", None),
    ("a shared string that does not exist",
     lambda: workbook(sheet_xml('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),
                      strings='<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                              '2006/main"><si><t>a</t></si></sst>'), "строку, которой нет",
     None),
    ("a cell of 100,000 characters",
     lambda: workbook(sheet_xml(f'<row r="1">{cell("A1", "я" * 100_000)}</row>')),
     "символов", None),
    ("a row number past Excel's last",
     lambda: workbook(sheet_xml(f'<row r="99999999">{cell("A1", "x")}</row>')), "Номер строки",
     None),
    ("a number that is not a number",
     lambda: workbook(sheet_xml('<row r="1"><c r="A1"><v>1e99999x</v></c></row>')), "не число",
     None),
    ("5,000 parts in the archive", lambda: workbook(sheet_xml(""), extra_parts=5000),
     "частей", None),
    ("a truncated archive", lambda: workbook(sheet_xml(""))[:300], "повреждён", None),
    ("an archive that is not a workbook",
     lambda: _zip({"hello.txt": "hi"}), "повреждён", None),
    ("the time limit is kept",
     lambda: workbook(sheet_xml("<row/>" * 1000)), "дольше", ReadLimits(max_seconds=0)),
]


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("name,make,expected,limits", CASES, ids=[c[0] for c in CASES])
def test_hostile_xlsx_ends_with_a_message_within_bounds(name, make, expected, limits):
    data = make()
    message, seconds, peak = outcome(data, limits=limits)
    if expected is None:
        assert message is None
    else:
        assert message is not None and expected in message, message
        assert any("а" <= ch <= "я" for ch in message)
    # the reported attacks took minutes and gigabytes; bounds here leave room for a slow CI
    assert seconds < 15, f"{name}: {seconds:.1f} s"
    assert peak < 80, f"{name}: {peak:.0f} MB"


def test_dimension_is_never_trusted():
    data = workbook(sheet_xml(f'<row r="1">{cell("A1", "Название")}{cell("B1", "Адрес")}</row>'
                              f'<row r="2">{cell("A2", "Сайт")}{cell("B2", "a.ru")}</row>',
                              "A1:XFD1048576"))
    [(headers, rows)] = read_all(data)
    assert headers == ["Название", "Адрес"]
    assert rows == [(2, ["Сайт", "a.ru"])]


def test_declared_size_that_lies_is_caught():
    """The central directory says the sheet is small; it inflates to more."""
    real = SHEET_HEAD + "<sheetData>" + "<row/>" * 50_000 + "</sheetData></worksheet>"
    data = bytearray(workbook(real))
    packed = zlib.compress(real.encode())  # find the sizes zipfile wrote and shrink them
    size = len(real.encode()).to_bytes(4, "little")
    assert data.count(size) >= 2 and packed
    data = bytes(data).replace(size, (1000).to_bytes(4, "little"))
    message, seconds, _ = outcome(data)
    assert message is not None and "повреждён" in message
    assert seconds < 15


CSV_CASES = [
    ("a line of 200,000 characters", ("a;" * 100_000).encode(), "длиннее", None),
    ("300 columns", (";".join(["x"] * 300) + "\n").encode(), "столбец", None),
    ("250,000 empty lines", b"a;b\n" + b";\n" * 250_000, "строк (считая пустые)", None),
    ("binary", b"\x00\x01\x02" * 100, "двоичный", None),
    ("an unclosed quote over the field limit", b'a;b\n"' + b"x" * 90_000 + b"\n" * 2 +
     b"y" * 90_000, "не читается", None),
    ("cells over the limit", b"a;b\n" + b"1;2\n" * 1000, "ячеек", ReadLimits(max_cells=100)),
]


@pytest.mark.parametrize("name,data,expected,limits", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_hostile_csv_ends_with_a_message(name, data, expected, limits):
    message, seconds, peak = outcome(data, "x.csv", limits)
    assert message is not None and expected in message, message
    assert seconds < 15 and peak < 80


def test_real_workbooks_still_read_with_dates_and_shared_strings(tmp_path):
    """A workbook as Excel writes it (shared strings, styles, dates) reads as before."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Показатели"
    sheet.append(["Показатель", "Значение", "Дата"])
    sheet.append(["Публикации", 12, dt.date(2022, 3, 31)])
    sheet.append(["Просмотры", 1.5, None])
    buffer = io.BytesIO()
    book.save(buffer)
    [(headers, rows)] = read_all(buffer.getvalue())
    assert headers == ["Показатель", "Значение", "Дата"]
    assert rows[0][1][:2] == ["Публикации", 12]
    assert rows[0][1][2].date() == dt.date(2022, 3, 31)
    assert rows[1] == (3, ["Просмотры", 1.5])


@pytest.mark.django_db(transaction=True)
def test_server_answers_while_hostile_files_are_read(live_server, client, django_user_model):
    """Four imports of the worst files at once; the health page keeps answering."""
    import httpx

    from profinfo.organizations.models import Organization, Role
    from profinfo.organizations.services import membership_grant

    root = Organization.add_root(name="Профсоюз", short_name="ЦК", level="ck")
    sessions = []  # four editors: one person's second import would wait for the first
    for n in range(4):
        user = django_user_model.objects.create_user(f"editor{n}", password="x" * 14)
        membership_grant(user=user, org=root, role=Role.EDITOR)
        own = type(client)()  # a login in a shared client would end the previous one
        own.force_login(user)
        sessions.append({"sessionid": own.cookies["sessionid"].value})
    files = [workbook(sheet_chunks=empty_rows_chunks(150 * 2**20)),
             workbook(numbered_empty_rows(250_000)),
             workbook(BILLION_LAUGHS),
             workbook(sheet_xml(f'<row r="1048576">{cell("A1048576", "№")}</row>',
                                "A1:XFD1048576"))]
    answers: list[str] = []

    def upload(data: bytes, cookies: dict) -> None:
        with httpx.Client(base_url=live_server.url, cookies=cookies, timeout=60) as http:
            page = http.get("/import/")
            token = http.cookies.get("csrftoken") or page.cookies.get("csrftoken")
            reply = http.post("/import/", files={"file": ("x.xlsx", data)},
                              data={"csrfmiddlewaretoken": token},
                              headers={"Referer": live_server.url + "/import/"})
            answers.append(reply.text)

    threads = [threading.Thread(target=upload, args=(data, cookies))
               for data, cookies in zip(files, sessions, strict=True)]
    for thread in threads:
        thread.start()
    slowest = 0.0
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        while any(t.is_alive() for t in threads):
            started = time.perf_counter()
            assert http.get("/healthz").status_code == 200
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert len(answers) == 4
    assert slowest < 5, f"the health page waited {slowest:.1f} s"
    joined = "\n".join(answers)
    assert "сжата" in joined and "считая пустые" in joined and "DTD" in joined


def test_cells_outside_rows_are_charged_and_freed():
    """<c> elements with no <row> around them: counted as they come, memory stays flat."""
    import random

    draw = random.Random(7)  # digits that do not pack too well: a ratio an attacker would keep
    cells = "".join(f'<c r="A1"><v>{draw.randrange(10**9)}</v></c>' for _ in range(400_000))
    data = workbook(f"{SHEET_HEAD}<sheetData>{cells}</sheetData></worksheet>")
    message, _, peak = outcome(data, limits=ReadLimits(max_cells=300_000))
    assert message is not None and "ячеек" in message
    assert peak < 80
