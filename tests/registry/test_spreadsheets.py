import csv
import io
import json

import openpyxl
import pytest

from profinfo.monitoring.models import Metric, Observation, Source
from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Resource
from profinfo.spreadsheets import export, import_file, plan_import, template_workbook

ALL = Scope(is_superuser=True)
RESOURCE_HEADERS = ["№", "Организация", "Вид ресурса", "Название", "Адрес", "Соцсеть"]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state():
    return (Organization.objects.count(), Resource.objects.count(),
            Observation.objects.count(),
            list(Resource.objects.order_by("pk").values_list("title", "url_key")))


def messages(plan) -> str:
    return "\n".join(str(e) for e in plan.errors)


@pytest.mark.parametrize(("data", "filename", "expected"), [
    (b"", "x.xlsx", "пустой"),
    (b"   \n  ", "x.csv", "пустой"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(200), "photo.png", "не таблица"),
    (b"PK\x03\x04broken zip", "x.xlsx", "повреждён"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls", ".xls"),
    (b"%PDF-1.4 text", "scan.xlsx", "не является"),
])
def test_files_that_are_not_tables(demo, data, filename, expected):
    before = state()
    plan = import_file(data, filename, scope=ALL)
    assert not plan.ok
    assert expected in messages(plan)
    assert state() == before


def test_wrong_headers_are_named(demo):
    data = xlsx({"Лист1": [["Организация", "Тип", "Ссылка"], ["x", "y", "z"]]})
    plan = import_file(data, "x.xlsx", scope=ALL)
    text = messages(plan)
    assert "не хватает столбцов" in text and "«Вид ресурса»" in text and "шаблон" in text


def test_headers_only_file_is_fine_and_adds_nothing(demo):
    before = state()
    plan = import_file(xlsx({"Ресурсы": [RESOURCE_HEADERS]}), "x.xlsx", scope=ALL)
    assert plan.ok and state() == before


def test_one_bad_row_stops_the_whole_file(demo):
    before = state()
    data = xlsx({"Ресурсы": [
        RESOURCE_HEADERS,
        [None, "Пермская краевая", "Сайт", "Новый сайт", "perm-prof.ru", None],
        [None, "Пермская краевая", "Сайт", "Плохой", "javascript:alert(1)", None],
        [None, "Нет такой организации", "Сайт", "Сайт", "nowhere.ru", None],
        [None, "Пермская краевая", "Космос", "Что-то", None, None],
        [None, "Пермская краевая", "Сайт", "Дубль", "https://www.PERM-prof.ru/", None],
        [None, "РОСПРОФПРОМ", "Сайт", "Дубль реестра", "http://rosprofprom.ru", None],
        [None, "Пермская краевая", "Страница в соцсети", "Страница", "vk.com/club1",
         "Одноклассники"],
    ]})
    plan = import_file(data, "regions.xlsx", scope=ALL)
    assert plan.error_count == 6
    rows = {e.row: e for e in plan.errors}
    assert "http" in rows[3].message and rows[3].column == "Адрес"
    assert "не найдена" in rows[4].message
    assert "не из списка" in rows[5].message
    assert "строке 2" in rows[6].message
    assert "уже есть в реестре" in rows[7].message
    assert "ВКонтакте" in rows[8].message
    assert state() == before


def test_export_then_reimport_changes_nothing(demo):
    for dataset in ("orgs", "resources", "observations"):
        for fmt in ("xlsx", "csv"):
            before = state()
            body = export(dataset, fmt, scope=ALL)
            plan = import_file(body, f"export.{fmt}", scope=ALL)
            assert plan.ok, messages(plan)
            assert state() == before, (dataset, fmt)
            assert not plan.sheets[0].creates and not plan.sheets[0].updates


def without_numbers(data: bytes, filename: str, keep=()) -> bytes:
    """The file with its «№» columns emptied (but numbers in `keep`): numbers address
    existing rows only."""
    from profinfo.tabular import Table, read_tables, write_xlsx

    [sheet] = read_tables(data, filename)
    rows = [[None if header.startswith("№") and value not in keep else value
             for header, value in zip(sheet.headers, values, strict=False)]
            for _, values in sheet.rows]
    return write_xlsx([Table(sheet.name, sheet.headers, rows)])


def renumbered(data: bytes, header: str, numbers: dict) -> bytes:
    from profinfo.tabular import Table, read_tables, write_xlsx

    [sheet] = read_tables(data, "x.xlsx")
    column = sheet.headers.index(header)
    rows = [[numbers[v] if i == column else v for i, v in enumerate(values)]
            for _, values in sheet.rows]
    return write_xlsx([Table(sheet.name, sheet.headers, rows)])


def test_export_into_empty_database_recreates_the_registry(demo, django_db_blocker):
    """Restoring into an empty registry: the numbers are emptied, names and addresses link."""
    root = Organization.get_root_nodes().get().pk  # stays, so its row keeps its number
    orgs = without_numbers(export("orgs", "xlsx", scope=ALL), "o.xlsx", keep={root})
    resources = without_numbers(export("resources", "csv", scope=ALL), "r.csv")
    observations = export("observations", "xlsx", scope=ALL)
    identity = ("organization__name", "kind", "title", "url", "network")
    old_numbers = {tuple(row[:-1]): row[-1] for row in Resource.objects.values_list(
        *identity, "pk")}
    originals = sorted(Resource.objects.values_list(
        "organization__name", "kind", "title", "url", "network", "periodicity", "print_type"))
    figures = sorted(Observation.objects.values_list(
        "resource__title", "metric", "value", "period_start", "period_end"))
    Observation.objects.all().delete()
    Resource.objects.all().delete()
    Organization.objects.exclude(depth=1).delete()
    Organization.objects.update(numchild=0)
    for data, name in ((orgs, "o.xlsx"), (resources, "r.xlsx")):
        plan = import_file(data, name, scope=ALL)
        assert plan.ok, messages(plan)
    # two pages without an address share a title: their figures find them by new numbers
    new_numbers = {old_numbers[tuple(row[:-1])]: row[-1] for row in Resource.objects
                   .values_list(*identity, "pk")}
    plan = import_file(renumbered(observations, "№ ресурса", new_numbers), "s.xlsx", scope=ALL)
    assert plan.ok, messages(plan)
    assert sorted(Resource.objects.values_list(
        "organization__name", "kind", "title", "url", "network", "periodicity",
        "print_type")) == originals
    assert sorted(Observation.objects.values_list(
        "resource__title", "metric", "value", "period_start", "period_end")) == figures
    votkinsk = Organization.objects.get(short_name="ППО «Воткинский завод»")
    assert votkinsk.get_parent().short_name == "Удмуртская республиканская"
    assert Organization.find_problems() == ([], [], [], [], [])


def test_one_workbook_adds_organization_resources_and_figures(demo):
    data = xlsx({
        "Организации": [["Полное название", "Краткое название", "Уровень",
                         "Вышестоящая организация"],
                        ["ППО АО «Завод»", "ППО «Завод»", "ППО", "Пермская краевая"]],
        "Ресурсы": [RESOURCE_HEADERS,
                    [None, "ППО «Завод»", "Страница в соцсети", "Профком завода",
                     "https://vk.com/public777", None]],
        "Показатели": [["Адрес", "Показатель", "Значение", "Конец периода или дата"],
                       ["vk.com/club777", "Подписчиков", "1 234", "01.03.2024"]],
    })
    plan = import_file(data, "new.xlsx", scope=ALL)
    assert plan.ok, messages(plan)
    page = Resource.objects.get(url_key="vk.com/club777")
    assert page.network == "vk" and page.organization.get_parent().short_name == "Пермская краевая"
    obs = page.observations.get()
    assert (obs.metric, obs.value, obs.source) == (Metric.SUBSCRIBERS, 1234, Source.IMPORT)
    assert page.history.count() == 1  # the import is in the edit history


def test_formula_injection_is_neutralized(demo):
    resource = Resource.objects.get(url_key="rosprofprom.ru")
    resource.note = '=HYPERLINK("http://evil","click")'
    resource.responsible = "+7 (495) 000-00-00"
    resource.save()
    sheet = openpyxl.load_workbook(io.BytesIO(export("resources", "xlsx", scope=ALL))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == resource.note]
    assert cells and all(c.data_type == "s" for c in cells)
    text = export("resources", "csv", scope=ALL).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text), delimiter=";") if r[0] == str(resource.pk))
    assert "'=HYPERLINK" in row[-1] and row[19] == "'+7 (495) 000-00-00"
    before = state()
    plan = import_file(text.encode("utf-8"), "r.csv", scope=ALL)
    assert plan.ok and state() == before
    resource.refresh_from_db()
    assert resource.note.startswith("=HYPERLINK")


def test_csv_in_windows_1251_with_semicolons(demo):
    text = "Организация;Вид ресурса;Название;Адрес\r\nПермская краевая;Сайт;Сайт Перми;perm.ru\r\n"
    plan = import_file(text.encode("cp1251"), "perm.csv", scope=ALL)
    assert plan.ok, messages(plan)
    assert Resource.objects.filter(url_key="perm.ru").exists()


def test_json_export_is_row_objects(demo):
    rows = json.loads(export("resources", "json", scope=ALL))
    assert rows[0]["Название"] == "Центральный сайт профсоюза"
    assert set(rows[0]) >= {"№", "Организация", "Вид ресурса", "Адрес"}


def test_template_has_every_sheet(demo):
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    assert workbook.sheetnames == ["Инструкция", "Справочники", "Организации", "Ресурсы",
                                   "Показатели"]
    assert workbook["Справочники"].sheet_state == "hidden"
    plan, _ = plan_import(template_workbook(), "template.xlsx", scope=ALL)
    assert plan.ok and not plan.warnings


def _drop_downs(workbook, sheet_name: str) -> dict[str, list[str]]:
    """header → the values its drop-down list offers (read from «Справочники»)."""
    sheet, lists = workbook[sheet_name], workbook["Справочники"]
    headers = [c.value for c in sheet[1]]
    found = {}
    for rule in sheet.data_validations.dataValidation:
        column = str(rule.sqref).split(":")[0].rstrip("0123456789")
        source = rule.formula1.split("!")[1].replace("$", "")
        cells = lists[source]
        found[headers[openpyxl.utils.column_index_from_string(column) - 1]] = [
            c[0].value for c in cells]
    return found


def test_template_offers_lists_and_the_import_takes_every_value_they_offer(demo):
    from profinfo.spreadsheets import DATASETS, EXAMPLES

    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    offered = {d.title: _drop_downs(workbook, d.title) for d in DATASETS.values()}
    assert offered["Организации"]["Уровень"] == ["ЦК", "ТО", "ППО", "Иное подразделение"]
    assert offered["Ресурсы"]["Открытый"] == ["да", "нет"]
    assert "Посетителей" in offered["Показатели"]["Показатель"]
    guide = " ".join(str(r[0].value or "") for r in workbook["Инструкция"].iter_rows())
    assert "допустимо: «ЦК», «ТО», «ППО», «Иное подразделение»" in guide
    assert "Пример строки: Полное название — Первичная профсоюзная" in guide
    # the example rows, each on its sheet, import cleanly
    rows = {DATASETS[key].title: [DATASETS[key].headers(),
                                  [example.get(h) for h in DATASETS[key].headers()]]
            for key, example in EXAMPLES.items()}
    plan, _ = plan_import(xlsx(rows), "examples.xlsx", scope=ALL)
    assert plan.ok, messages(plan)
    # every value a list offers is one the import accepts in its column
    for dataset in DATASETS.values():
        headers = dataset.headers()
        example = EXAMPLES[dataset.key]
        for header, values in offered[dataset.title].items():
            for value in values:
                row = [value if h == header else example.get(h) for h in headers]
                plan, _ = plan_import(xlsx({dataset.title: [headers, row]}), "x.xlsx",
                                      scope=ALL)
                refused = [e for e in plan.errors if e.column == header]
                assert not refused, (header, value, [str(e) for e in refused])


def test_bad_values_get_cell_level_messages(demo):
    site = Resource.objects.get(url_key="rosprofprom.ru").pk
    data = xlsx({"Показатели": [
        ["№ ресурса", "Показатель", "Значение", "Начало периода", "Конец периода или дата"],
        [site, "Просмотров", "много", "01.01.2023", "31.12.2023"],
        [site, "Просмотров", 5, "31.12.2023", "01.01.2023"],
        [site, "Просмотров", 5, None, "01.01.2023"],
        [site, "Просмотров", -5, "01.01.2023", "2023-13-45"],
        [99999, "Подписчиков", 5, None, "01.01.2023"],
    ]})
    plan = import_file(data, "s.xlsx", scope=ALL)
    text = messages(plan)
    assert "ожидается целое число" in text and "позже его конца" in text
    assert "нужен период" in text and "отрицательным" in text and "ресурс не найден" in text


def test_hundred_thousand_rows(demo):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Ресурсы")
    sheet.append(RESOURCE_HEADERS)
    for n in range(100_000):
        sheet.append([None, "Пермская краевая", "Сайт", f"Сайт {n}", f"site{n}.ru", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = import_file(buffer.getvalue(), "big.xlsx", scope=ALL)
    assert plan.ok, messages(plan)
    assert Resource.objects.filter(organization__short_name="Пермская краевая").count() > 100_000


def test_too_many_rows_is_refused_whole(demo, settings):
    settings.PROFINFO_IMPORT_MAX_ROWS = 10
    rows = [RESOURCE_HEADERS] + [[None, "Пермская краевая", "Сайт", f"С{n}", f"s{n}.ru", None]
                                 for n in range(11)]
    before = state()
    plan = import_file(xlsx({"Ресурсы": rows}), "x.xlsx", scope=ALL)
    assert "больше 10 строк" in messages(plan)
    assert state() == before


def test_one_import_per_person_holds_across_processes_with_a_shared_cache(settings):
    """With PROFINFO_CACHE_URL (Redis) every server process sees the same import slots."""
    import socket

    from profinfo.spreadsheets import ImportBusy, import_slot
    from tests.conftest import require

    with socket.socket() as probe:
        require(probe.connect_ex(("127.0.0.1", 6379)) == 0, "нет Redis на 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/15"}}
    import redis

    other_process = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    with import_slot(424242):
        assert any(b"import-slot:424242" in key for key in other_process.keys("*"))
        with pytest.raises(ImportBusy):
            with import_slot(424242):
                pass
    assert not any(b"import-slot:424242" in key for key in other_process.keys("*"))
