"""Worksheet names made from any text: Excel refuses : \\ / ? * [ ], more than 31 characters,
a blank name, apostrophes at the ends and two sheets named alike (whatever the case)."""

import io

import openpyxl
import pytest

from profinfo.tabular.writing import Table, sheet_title, write_xlsx

HOSTILE = [
    "Карточка организации: ППО «Завод»",
    "Отчёт 01/2022 [черновик]?*",
    "\\\\сервер\\папка",
    "''",
    "   ",
    "Первичная профсоюзная организация АО «Уральский завод» — очень длинное название",
    "Первичная профсоюзная организация АО «Уральский завод» — ещё одно длинное",
    "ОТЧЁТ",
    "отчёт",
    "а" * 30 + "'bc",  # cut at 31 characters, it would end in an apostrophe
]


def test_every_title_is_one_excel_accepts_and_they_stay_apart():
    taken: set[str] = set()
    titles = [sheet_title(name, taken) for name in HOSTILE]
    for title in titles:
        assert 0 < len(title) <= 31
        assert not set(title) & set(":\\/?*[]")
        assert not title.startswith("'") and not title.endswith("'")
        assert title == title.strip()
    assert len({t.casefold() for t in titles}) == len(titles)
    assert titles[0] == "Карточка организации ППО «Завод»"[:31].strip()
    assert titles[3] == "Лист" and titles[4] == "Лист (2)"
    assert titles[8] == "отчёт (2)"
    assert titles[9] == "а" * 30


@pytest.mark.parametrize("name", HOSTILE[:3])
def test_a_workbook_with_such_names_is_written_and_opens(name):
    content = write_xlsx([Table(name, ["Организация"], [["ППО"]]),
                          Table(name, ["Организация"], [["ТО"]])])
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) == 2
    assert [ws["A2"].value for ws in workbook.worksheets] == ["ППО", "ТО"]
