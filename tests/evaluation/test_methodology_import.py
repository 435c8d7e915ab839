"""Importing a methodology updates the year's version in place and never deletes a score."""

import io

import openpyxl
import pytest
from django.urls import reverse

from profinfo.evaluation.defaults import methodology_of_year
from profinfo.evaluation.exchange import (
    HEADERS,
    REASON,
    MethodologyImportError,
    export_xlsx,
    import_xlsx,
)
from profinfo.evaluation.models import Block, Criterion, JuryScore, Methodology
from profinfo.organizations.models import Organization
from tests.factories import ADMIN, user_with

YEAR = 2030


@pytest.fixture
def scored(db):
    """The year's methodology with the jury's points for «Оформление» (social/design)."""
    methodology = methodology_of_year(YEAR)
    organization = Organization.add_root(name="Профсоюз", short_name="Профсоюз", level="ck",
                                         kind="union")
    design = criterion("social", "design")
    JuryScore.objects.create(criterion=design, organization=organization, points=1.5,
                             comment="Обложка есть")
    return methodology


def criterion(block: str, code: str) -> Criterion:
    return Criterion.objects.get(block__methodology__year=YEAR, block__code=block, code=code)


def snapshot() -> dict:
    """Everything an import may touch, to compare before and after."""
    return {
        "methodologies": list(Methodology.objects.values_list("pk", "year", "title")),
        "blocks": list(Block.objects.order_by("pk").values_list(
            "pk", "code", "title", "weight", "order")),
        "criteria": list(Criterion.objects.order_by("pk").values_list(
            "pk", "block_id", "code", "title", "points", "source", "rule", "threshold",
            "order")),
        "scores": list(JuryScore.objects.order_by("pk").values_list(
            "pk", "criterion_id", "organization_id", "points", "comment")),
    }


def edited(methodology, change) -> bytes:
    """The exported file after `change(sheet, rows)`, rows keyed by (block code, code)."""
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(methodology))).active
    column = {h: i for i, h in enumerate(HEADERS)}
    rows = {(r[column["Блок (код)"]].value, r[column["Код"]].value): r
            for r in sheet.iter_rows(min_row=2)}
    change(sheet, rows, column)
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()


def without(*keys):
    def change(sheet, rows, column):
        for row_index in sorted((rows[key][0].row for key in keys), reverse=True):
            sheet.delete_rows(row_index)
    return change


def test_reimporting_the_export_keeps_the_scores_and_the_criteria(scored):
    before = snapshot()
    history = Criterion.history.count()
    imported = import_xlsx(export_xlsx(scored), year=YEAR)
    assert imported.pk == scored.pk and imported.title == scored.title  # the title is kept
    assert snapshot() == before  # the same rows, the same pks, the score still attached
    assert JuryScore.objects.get().criterion == criterion("social", "design")
    assert Criterion.history.count() == history  # nothing changed, nothing in the history


def test_changed_points_are_updated_in_place_and_kept_in_the_history(scored):
    design = criterion("social", "design")
    versions = design.history.count()

    def change(sheet, rows, column):
        rows["social", "design"][column["Баллы"]].value = 3
    import_xlsx(edited(scored, change), year=YEAR)
    updated = criterion("social", "design")
    assert updated.pk == design.pk and updated.points == 3
    assert updated.history.count() == versions + 1
    latest, previous = updated.history.all()[:2]
    assert (latest.points, previous.points) == (3, 2)
    assert latest.history_change_reason == REASON
    assert JuryScore.objects.get().criterion_id == design.pk


def test_removing_a_scored_criterion_is_refused_and_nothing_changes(scored):
    before = snapshot()

    def change(sheet, rows, column):
        rows["social", "posting"][column["Баллы"]].value = 7  # a right row, not written either
        without(("social", "design"))(sheet, rows, column)
    with pytest.raises(MethodologyImportError) as error:
        import_xlsx(edited(scored, change), year=YEAR)
    assert error.value.errors == ["Критерий «Оформление» (social/design) уже оценён жюри: "
                                  "удалить его из методики нельзя. Оставьте строку в файле."]
    assert snapshot() == before


def test_removing_a_block_with_a_scored_criterion_is_refused(scored):
    codes = list(Criterion.objects.filter(block__methodology=scored, block__code="social")
                 .values_list("block__code", "code"))
    before = snapshot()
    with pytest.raises(MethodologyImportError, match="social/design"):
        import_xlsx(edited(scored, without(*codes)), year=YEAR)
    assert snapshot() == before


def test_removing_unscored_criteria_and_blocks_deletes_them(scored):
    leaflets = criterion("agitation", "leaflets")
    import_xlsx(edited(scored, without(("social", "evergreen"), ("agitation", "leaflets"))),
                year=YEAR)
    assert not Criterion.objects.filter(block__methodology=scored, code="evergreen").exists()
    assert not scored.blocks.filter(code="agitation").exists()  # its only criterion gone
    assert JuryScore.objects.get().criterion == criterion("social", "design")
    deleted = Criterion.history.filter(id=leaflets.pk).latest()
    assert deleted.history_type == "-" and deleted.history_change_reason == REASON


def test_new_rows_are_added_and_the_order_follows_the_file(scored):
    design = criterion("social", "design")

    def change(sheet, rows, column):
        row = [cell.value for cell in rows["social", "design"]]
        row[column["Код"]], row[column["Критерий"]] = "video", "Видеоролики"
        sheet.append(row)  # a new criterion, last
        sheet.append(["media", "Медиа", 0.5, "podcast", "Подкасты", 1, "оценивает жюри",
                      "", None, "Запишите подкаст."])  # a new block
    import_xlsx(edited(scored, change), year=YEAR, title="Новое название")
    scored.refresh_from_db()
    assert scored.title == "Новое название"
    social = list(Criterion.objects.filter(block__methodology=scored, block__code="social")
                  .order_by("order").values_list("code", flat=True))
    assert social[-1] == "video" and "design" in social
    assert criterion("social", "design").pk == design.pk
    media = scored.blocks.get(code="media")
    assert media.weight == 0.5 and media.order == scored.blocks.count() - 1
    assert criterion("media", "podcast").points == 1


def test_a_criterion_twice_in_the_file_is_a_row_error(scored):
    before = snapshot()

    def change(sheet, rows, column):
        sheet.append([cell.value for cell in rows["social", "design"]])
    with pytest.raises(MethodologyImportError, match="уже есть в строке"):
        import_xlsx(edited(scored, change), year=YEAR)
    assert snapshot() == before


def test_the_admin_shows_the_edit_history(scored, client):
    def change(sheet, rows, column):
        rows["social", "design"][column["Баллы"]].value = 3
    import_xlsx(edited(scored, change), year=YEAR)
    client.force_login(user_with(ADMIN, "Профсоюз"))
    design = criterion("social", "design")
    for url in (reverse("admin:evaluation_criterion_history", args=[design.pk]),
                reverse("admin:evaluation_methodology_history", args=[scored.pk]),
                reverse("admin:evaluation_juryscore_history",
                        args=[JuryScore.objects.get().pk])):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("admin:evaluation_criterion_history", args=[design.pk]))
    assert REASON in page.content.decode()
