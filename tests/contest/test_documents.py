"""The protocol and the diplomas of a contest driven through its services to the frozen results:
they read the final snapshot only, so what happens later leaves them as they were; a template's
placeholders are replaced even when Word splits them across runs; the PDF carries the same
text in a Cyrillic font."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from docx import Document

from profinfo.contest import documents, services
from profinfo.contest.documents import DocumentError, NotFrozen
from profinfo.contest.models import Contest, Dispute, Mark, Result, Stage
from profinfo.monitoring.criteria import CRITERIA
from profinfo.monitoring.models import Metric, Observation
from profinfo.monitoring.services import latest_values_refresh
from profinfo.organizations.services import organization_update
from profinfo.registry.models import Resource
from tests.conftest import require
from tests.contest.conftest import PERM, UDM, scope, score_all
from tests.factories import EDITOR, org, user_with

COMMISSION = ("Иванов Иван Иванович — председатель\n"
              "Петрова Анна Сергеевна — заместитель председателя\n"
              "Сидоров Пётр Петрович — член комиссии")


def freeze(contest, organizer, cycle):
    """Marks from both experts, a dispute accepted, the results frozen: the contest as a
    commission signs it."""
    nomination, (perm, udm), (first, second) = cycle
    contest.commission = COMMISSION
    services.contest_save(contest, scope=scope(organizer), user=organizer)
    score_all(perm, first, lambda c: c.points)
    score_all(perm, second, lambda c: c.points / 2)
    score_all(udm, first, lambda c: c.points / 2)
    score_all(udm, second, lambda c: 0)
    services.stage_set(contest, Stage.INTERACTION, scope=scope(organizer), user=organizer)
    design = next(c for c in services.jury_criteria(nomination) if c.code == "design")
    editor = user_with(EDITOR, UDM, username="udm-disputes")
    dispute = services.dispute_open(udm, design, comment="Обложка есть, вот ссылка",
                                    upload=None, scope=scope(editor), user=editor)
    services.dispute_answer(dispute, accepted=True, points=design.points,
                            answer="Обложка есть: балл исправлен", scope=scope(organizer),
                            user=organizer)
    services.stage_set(contest, Stage.SUMMING_UP, scope=scope(organizer), user=organizer)
    contest.refresh_from_db()
    assert contest.is_frozen
    return contest


@pytest.fixture
def frozen(cycle, contest, organizer):
    return freeze(contest, organizer, cycle)


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def tables_of(data: bytes) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in Document(io.BytesIO(data)).tables]


def final_results():
    return Result.objects.filter(snapshot__kind="final", snapshot__superseded=False)


def test_no_protocol_before_the_results_are_frozen(cycle, contest):
    with pytest.raises(NotFrozen, match="не зафиксированы"):
        documents.protocol_docx(contest)
    with pytest.raises(NotFrozen):
        documents.diplomas_zip(contest, "docx")


def test_protocol_names_winners_disputes_and_the_signatures(frozen):
    text = text_of(documents.protocol_docx(frozen))
    assert "Протокол заседания конкурсной комиссии" in text
    assert "2021" in text and frozen.title in text
    assert "ПРИМЕР" not in text
    assert "Иванов Иван Иванович — председатель" in text
    assert "Методика оценки:" in text and "Период оценки: с 01.01.2021 по 31.12.2021" in text
    assert "больше баллов жюри" in text  # the tie rule in words
    assert "Нормализация" not in text
    assert "Номинация «Лучшая территориальная организация»" in text
    for result in final_results().filter(place=1):
        assert f"I место: {result.organization_name}" in text \
            or f"I место (место разделено): {result.organization_name}" in text
    assert "Рассмотренные возражения" in text and "принято" in text
    assert "Обложка есть: балл исправлен" in text
    assert f"Председатель комиссии {documents.SIGNATURE_LINE} Иванов Иван Иванович" in text
    assert "Члены комиссии:" in text
    assert f"{documents.SIGNATURE_LINE} Петрова Анна Сергеевна" in text
    assert f"{documents.SIGNATURE_LINE} Сидоров Пётр Петрович" in text


def test_the_protocol_does_not_follow_later_changes(frozen, organizer):
    before = documents.protocol_docx(frozen)
    perm_name = org(PERM).name
    Mark.objects.update(points=0, comment="переписано после фиксации")  # past the services
    organization_update(org=org(PERM), name="Переименованная организация")
    site = Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")
    latest_values_refresh([Observation.objects.create(
        resource=site, metric=Metric.SITE_AUDIT, value=len(CRITERIA),
        period_end=dt.date(2021, 11, 1), source="automatic",
        details={"criteria": {code: {"present": True, "evidence": None}
                              for code in CRITERIA}})])
    for dispute in Dispute.objects.all():
        dispute.answer = "ответ переписан"
        dispute.save()

    after = documents.protocol_docx(frozen)
    assert tables_of(after) == tables_of(before)
    assert text_of(after) == text_of(before)
    assert perm_name in text_of(after) and "Переименованная" not in text_of(after)


def test_an_example_contest_is_marked(frozen):
    Contest.objects.filter(pk=frozen.pk).update(is_example=True)
    frozen.refresh_from_db()
    assert text_of(documents.protocol_docx(frozen)).startswith(documents.EXAMPLE_MARK)
    winner = documents.winners(frozen)[0]
    assert text_of(documents.diploma_docx(winner)).startswith(documents.EXAMPLE_MARK)


def test_default_diploma_has_the_winner_and_no_placeholder(frozen):
    winners = documents.winners(frozen)
    assert winners and all(w.place <= 3 for w in winners)
    first = next(w for w in winners if w.place == 1)
    text = text_of(documents.diploma_docx(first))
    assert "ДИПЛОМ" in text and "I место" in text
    assert first.organization_name in text
    assert "«Лучшая территориальная организация»" in text
    assert "Иванов Иван Иванович" in text and "2021" in text
    assert "{" not in text
    document = Document(io.BytesIO(documents.diploma_docx(first)))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape


def split_template() -> bytes:
    """A template as Word saves one: placeholders split across runs, one in a table cell, one
    in the header."""
    document = Document()
    paragraph = document.add_paragraph("Награждается ")
    for piece in ("{орга", "низа", "ция}"):
        paragraph.add_run(piece).bold = True
    paragraph.add_run(" — {место} в номинации «{номинация}»")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("{")
    table.cell(0, 0).paragraphs[0].add_run("год}")
    table.cell(0, 1).text = "{председатель}, {дата}"
    document.sections[0].header.paragraphs[0].text = "{смотр}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_uploaded_template_with_split_placeholders(frozen):
    frozen.diploma_template.save("diploma.docx", ContentFile(split_template()))
    winner = documents.winners(frozen)[0]
    data = documents.diploma_docx(winner)
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text == \
        f"Награждается {winner.organization_name} — {documents.place_words(winner.place)} " \
        f"в номинации «{winner.nomination_title}»"
    assert document.paragraphs[0].runs[1].bold  # the value keeps the placeholder's look
    assert document.tables[0].cell(0, 0).text == "2021"
    assert document.tables[0].cell(0, 1).text.startswith("Иванов Иван Иванович, ")
    assert document.sections[0].header.paragraphs[0].text == frozen.title
    assert "{" not in text_of(data)
    assert documents.template_refusal(split_template()) == ""
    assert "{организация}" in documents.template_refusal(documents._save(Document()))
    assert "DOCX" in documents.template_refusal(b"not a docx")
    _has_font()  # the same text as PDF, the header's too
    pdf = pdf_text(documents.diploma_pdf(winner))
    assert f"Награждается {' '.join(winner.organization_name.split())}" in pdf
    assert frozen.title in pdf and "Иванов Иван Иванович" in pdf


def test_no_diploma_for_a_place_outside_the_prizes(frozen):
    nomination = frozen.nominations.get(level="territorial")
    type(nomination).objects.filter(pk=nomination.pk).update(places=1)
    second = final_results().filter(place__gt=1).first()
    if second is None:
        pytest.skip("both participants share the first place")
    with pytest.raises(DocumentError, match="призовые места"):
        documents.diploma_docx(second)


def _has_font() -> bool:
    try:
        documents.pdf_fonts()
    except DocumentError as missing:
        require(False, missing.message)
    return True


def pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_diploma_pdf_has_the_text(frozen):
    _has_font()
    winner = documents.winners(frozen)[0]
    data = documents.diploma_pdf(winner)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "ДИПЛОМ" in text
    assert " ".join(winner.organization_name.split()) in text
    assert documents.place_words(winner.place) in text


def test_pdf_without_a_font_names_the_package(frozen, monkeypatch):
    monkeypatch.setattr(documents, "FONT_CANDIDATES", ())
    monkeypatch.delenv(documents.FONT_SETTING, raising=False)
    monkeypatch.setattr(documents.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DocumentError, match="fonts-dejavu-core"):
        documents.diploma_pdf(documents.winners(frozen)[0])


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_all_diplomas_in_one_archive(frozen, fmt):
    if fmt == "pdf":
        _has_font()
    archive = zipfile.ZipFile(io.BytesIO(documents.diplomas_zip(frozen, fmt)))
    names = archive.namelist()
    assert len(names) == len(documents.winners(frozen)) >= 1
    assert all(name.endswith(f".{fmt}") for name in names)
    assert any(org(PERM).name in name or org(UDM).name in name for name in names)
    head = archive.read(names[0])[:4]
    assert head == (b"PK\x03\x04" if fmt == "docx" else b"%PDF")


def test_roman_places():
    assert [documents.place_words(n) for n in (1, 2, 3, 4, 9, 14)] == [
        "I место", "II место", "III место", "IV место", "IX место", "XIV место"]
