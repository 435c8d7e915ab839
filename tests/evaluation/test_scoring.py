"""The methodology as data, scores with ranks among peers, the report card and ratings."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from profinfo.evaluation.defaults import methodology_for, methodology_of_year
from profinfo.evaluation.exchange import MethodologyImportError, export_xlsx, import_xlsx
from profinfo.evaluation.models import Criterion, CriterionSource, JuryScore
from profinfo.evaluation.scoring import previous_period, score
from profinfo.monitoring.criteria import CRITERIA
from profinfo.monitoring.models import Metric, Observation
from profinfo.monitoring.services import criterion_override, latest_values_refresh
from profinfo.organizations.models import Organization
from profinfo.registry.models import Resource
from tests.factories import ADMIN, EDITOR, org, user_with

YEAR = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def audit(site, found: set[str], day=dt.date(2021, 6, 1)):
    criteria = {code: {"present": code in found, "evidence": None} for code in CRITERIA}
    latest_values_refresh([Observation.objects.create(
        resource=site, metric=Metric.SITE_AUDIT, value=len(found), period_end=day,
        source="automatic", details={"criteria": criteria})])  # as the services write them


def territorial():
    return list(Organization.objects.filter(level="territorial").order_by("path"))


def result(scores, short, code):
    mine = next(s for s in scores if s.organization_id == org(short).pk)
    return next(r for r in mine.results if r.criterion.code == code), mine


def test_default_methodology_covers_every_criterion_of_the_seed(db):
    methodology = methodology_for(2021)
    codes = set(Criterion.objects.filter(block__methodology=methodology)
                .values_list("code", flat=True))
    assert {c.replace("_", "-") for c in CRITERIA} <= codes
    assert {"social-pages", "subscribers", "posting", "design", "evergreen", "engagement",
            "youth-council", "leaders", "editions", "periodicity", "leaflets", "channels",
            "membership", "videoconference", "distance-learning", "paperless"} <= codes
    assert set(methodology.blocks.values_list("code", flat=True)) == {
        "sites", "social", "print", "agitation", "digital"}
    for criterion in Criterion.objects.filter(block__methodology=methodology):
        criterion.full_clean()  # the defaults pass the same checks as an edit


def test_scores_missing_data_is_not_zero_and_ranks_are_among_peers(demo):
    methodology = methodology_for(2021)
    perm = Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")
    audit(perm, {"fnpr_link", "ask_question", "mobile_layout", "share_button", "fnpr_news"})
    tula = Resource.objects.get(title="Сайт: Тульская областная организация РОСПРОФПРОМ")
    audit(tula, {"fnpr_link"})
    criterion_override(resource=tula, code="ask_question", present=True,
                       reason="Форма вопросов на отдельном поддомене",
                       user=user_with(ADMIN, "РОСПРОФПРОМ"))
    scores = score(methodology, territorial(), *YEAR)
    fnpr, perm_score = result(scores, "Пермская краевая", "fnpr-link")
    assert fnpr.outcome.met is True and fnpr.points == 1
    ask, tula_score = result(scores, "Тульская областная", "ask-question")
    assert ask.outcome.met is True  # the administrator's decision wins
    unknown, kaluga = result(scores, "Калужская областная", "fnpr-link")
    assert unknown.outcome.met is None and unknown.points is None  # never audited
    assert "Нет данных" in unknown.recommendation
    no_site, chelyabinsk = result(scores, "Челябинская областная", "fnpr-link")
    assert no_site.outcome.met is False and no_site.points == 0  # no site at all: a gap
    assert perm_score.total > tula_score.total
    assert perm_score.rank < tula_score.rank and perm_score.peers == len(territorial())
    assert kaluga.completeness < perm_score.completeness


def test_jury_points_count_and_are_capped(demo):
    methodology = methodology_for(2021)
    design = Criterion.objects.get(block__methodology=methodology, code="design")
    sverdlovsk = org("Свердловская областная")
    JuryScore.objects.create(criterion=design, organization=sverdlovsk, points=5)
    scores = score(methodology, [sverdlovsk], *YEAR)
    given, _ = result(scores, "Свердловская областная", "design")
    assert given.points == design.points  # 5 given, 2 possible


def test_a_jury_score_changed_in_place_changes_what_stored_tables_were_computed_from(demo):
    from profinfo.evaluation.scoring import _criteria, inputs_fingerprint

    methodology = methodology_for(2021)
    design = Criterion.objects.get(block__methodology=methodology, code="design")
    given = JuryScore.objects.create(criterion=design, organization=org("Свердловская "
                                                                        "областная"), points=1)
    before = inputs_fingerprint(_criteria(methodology))
    given.points = 2
    given.save()
    assert inputs_fingerprint(_criteria(methodology)) != before


def test_a_past_year_stays_as_it_was(demo):
    past = methodology_for(2021)
    assert methodology_for(2022) == past  # reading a year writes nothing: the 2021 one holds
    current = methodology_of_year(2022)  # to edit 2022: a copy
    Criterion.objects.filter(block__methodology=current, code="fnpr-link").update(points=10)
    assert Criterion.objects.get(block__methodology=past, code="fnpr-link").points == 1
    past.frozen = True
    past.save()
    with pytest.raises(MethodologyImportError, match="утверждена"):
        import_xlsx(export_xlsx(current), year=2021)


def test_methodology_round_trip_and_import_errors(db):
    data = export_xlsx(methodology_for(2021))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:5] == ["Блок (код)", "Блок", "Вес блока", "Код",
                                               "Критерий"]
    imported = import_xlsx(data, year=2030)
    assert Criterion.objects.filter(block__methodology=imported).count() == \
        Criterion.objects.filter(block__methodology__year=2021).count()
    sheet.cell(row=2, column=8).value = "no-such-rule"
    sheet.cell(row=3, column=6).value = "много"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    with pytest.raises(MethodologyImportError) as error:
        import_xlsx(buffer.getvalue(), year=2031)
    text = "\n".join(error.value.errors)
    assert "Строка 2" in text and "правило расчёта" in text.lower()
    assert "Строка 3" in text and "не число" in text
    assert not Criterion.objects.filter(block__methodology__year=2031).exists()


def test_criterion_checks_speak_russian(db):
    block = methodology_for(2021).blocks.first()
    with pytest.raises(ValidationError) as error:
        Criterion(block=block, code="x", title="x", source=CriterionSource.AUTO,
                  rule="site_publications").full_clean()
    assert "нужен порог" in str(error.value)
    with pytest.raises(ValidationError) as error:
        Criterion(block=block, code="y", title="y", source=CriterionSource.JURY, rule="agitation",
                  points=-1).full_clean()
    assert "отрицательными" in str(error.value) and "жюри" in str(error.value)


def test_previous_period():
    assert previous_period(*YEAR) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert previous_period(dt.date(2021, 3, 1), dt.date(2021, 3, 31)) == (
        dt.date(2021, 1, 29), dt.date(2021, 2, 28))


def test_report_card_and_ratings(demo, client, tmp_path, capsys):
    perm_site = Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")
    audit(perm_site, {"fnpr_link"})
    perm = org("Пермская краевая")
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    url = reverse("report", args=["org-card"])
    page = client.get(url, {"org": perm.pk, "start": "2021-01-01", "end": "2021-12-31"})
    html = page.content.decode()
    assert "Карточка организации: Пермская краевая" in html
    assert "Установите новостной виджет газеты «Солидарность»" in html  # a gap's advice
    assert "выполнен (проверка от 01.06.2021)" in html  # the observation it came from
    # the editor reads no other ТО: no place «1 из 1»
    assert "места нет: среди организаций уровня «ТО», доступных для сравнения, она одна" in html
    assert "Профсоюзные сайты:" in html
    docx = client.get(url, {"org": perm.pk, "start": "2021-01-01", "end": "2021-12-31",
                            "format": "docx"})
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    assert document.paragraphs[0].text.startswith("Карточка организации")
    assert len(document.tables) == 2  # criteria, then the resources with their figures
    assert document.tables[1].rows[1].cells[1].text == \
        "Сайт: Пермская краевая организация РОСПРОФПРОМ"
    assert "Ресурсы организации и последние показатели" in html
    # the Excel card too (its sheet was once named with the «:» of the title: a 500)
    xlsx = client.get(url, {"org": perm.pk, "start": "2021-01-01", "end": "2021-12-31",
                            "format": "xlsx"})
    assert xlsx.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames[0].startswith("Карточка организации")
    assert any(cell.value == "Ссылка или баннер на сайт ФНПР"
               for row in workbook.worksheets[0].iter_rows() for cell in row)
    # the VK page's subscribers from the seed, in the resources table
    assert '<td class="num" data-label="Подписчиков">130</td>' in html
    assert client.get(url).status_code == 404  # a card needs an organization
    other = org("Тульская областная")
    assert client.get(url, {"org": other.pk}).status_code == 404  # outside the scope
    with pytest.raises(CommandError, match="--org"):
        call_command("report", "org-card", "--year", "2021")
    call_command("report", "ratings", "--year", "2021")
    import json

    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["Уровень"] == "ЦК" and {"Место среди равных", "Полнота данных"} <= set(rows[0])
    perm_row = next(r for r in rows if r["Профсоюзная организация"] == "Пермская краевая")
    perm = org("Пермская краевая")
    expected = score(methodology_for(2021), [perm], dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert perm_row["Баллы"] == expected[0].total > 0  # what scoring computes, to the point
    assert perm_row["Изменение места"] is None  # nothing was measured in 2020: no change
    assert perm_row["Место среди равных"] is not None  # scored, among other ТО
    assert rows[0]["Место среди равных"] is None  # the ЦК: alone at its level, no «1st»
    assert all(r["Место среди равных"] is None for r in rows if r["Баллы"] == 0)
    assert all(r["Изменение места"] is None for r in rows if r["Место среди равных"] is None)


def _totals(scores):
    return {s.organization_id: (s.total, s.known, s.rank, s.peers, s.previous_rank)
            for s in scores}


def test_stored_tables_give_the_same_scores_and_follow_every_change(demo, monkeypatch,
                                                                      settings):
    from profinfo.evaluation import scoring
    from profinfo.evaluation.models import ScoreTable

    settings.PROFINFO_SCORES_MAX_AGE = 0
    methodology = methodology_for(2021)
    perm_site = Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")
    audit(perm_site, {"fnpr_link", "ask_question"})
    audit(perm_site, {"fnpr_link"}, day=dt.date(2020, 6, 1))  # measured in 2020 too
    chosen = Organization.objects.filter(level="territorial")
    computed = _totals(scoring.scores_with_change(methodology, chosen, *YEAR))
    monkeypatch.setattr(scoring, "COMPUTE_DIRECTLY_UP_TO", 0)
    assert _totals(scoring.scores_with_change(methodology, chosen, *YEAR)) == computed
    assert ScoreTable.objects.count() == 2  # 2021 and 2020, for every active organization
    assert len(ScoreTable.objects.get(start=YEAR[0]).rows) == Organization.objects.filter(
        is_active=True).count()
    perm = org("Пермская краевая")
    assert computed[perm.pk][4] is not None  # its rank in 2020 is known

    def perm_total():
        scores = scoring.scores_with_change(methodology, chosen, *YEAR)
        return next(s.total for s in scores if s.organization_id == perm.pk)

    before = perm_total()
    audit(perm_site, {"fnpr_link", "ask_question", "mobile_layout"}, day=dt.date(2021, 7, 1))
    assert perm_total() == before + 1  # a new audit
    criterion_override(resource=perm_site, code="share_button", present=True, reason="есть",
                       user=user_with(ADMIN, "РОСПРОФПРОМ"))
    assert perm_total() == before + 2  # an administrator's decision
    Criterion.objects.filter(block__methodology=methodology, code="fnpr-link").update(points=3)
    assert perm_total() == before + 4  # the methodology
    perm_site.is_active = False
    perm_site.save()
    assert perm_total() < before  # the registry
    assert ScoreTable.objects.count() == 2  # replaced, not piled up


def test_a_finished_run_computes_this_years_tables_and_a_failure_does_not_fail_it(
        demo, monkeypatch, caplog):
    from profinfo.evaluation import scoring, services
    from profinfo.evaluation.models import ScoreTable
    from profinfo.monitoring.models import CollectionRun
    from profinfo.monitoring.runs import run_close

    run = CollectionRun.objects.create()
    run_close(run, CollectionRun.Status.DONE)
    assert not ScoreTable.objects.exists()  # a small union: scores are computed when asked
    monkeypatch.setattr(scoring, "COMPUTE_DIRECTLY_UP_TO", 0)
    run_close(run, CollectionRun.Status.STOPPED)
    assert not ScoreTable.objects.exists()  # a stopped run has not measured everything
    run_close(run, CollectionRun.Status.DONE)
    year = services.contest_year()
    assert ScoreTable.objects.filter(start=year[0], end=year[1]).exists()
    assert ScoreTable.objects.filter(start=dt.date(year[0].year - 1, 1, 1)).exists()

    def broken(*args):
        raise RuntimeError("диск заполнен")

    monkeypatch.setattr(services, "stored_scores", broken)
    run_close(run, CollectionRun.Status.DONE)
    assert run.status == CollectionRun.Status.DONE
    assert "не пересчитаны" in caplog.text


def test_a_recent_table_is_shown_after_an_edit_but_not_after_a_methodology_change(
        demo, monkeypatch):
    from profinfo.evaluation import scoring

    monkeypatch.setattr(scoring, "COMPUTE_DIRECTLY_UP_TO", 0)
    methodology = methodology_for(2021)
    perm_site = Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")
    perm = org("Пермская краевая")

    def perm_total():
        scores = scoring.scores_with_change(methodology, Organization.objects.all(), *YEAR)
        return next(s.total for s in scores if s.organization_id == perm.pk)

    before = perm_total()
    audit(perm_site, {"fnpr_link", "ask_question"})
    assert perm_total() == before  # computed minutes ago: shown as it was
    Criterion.objects.filter(block__methodology=methodology, code="fnpr-link").update(points=3)
    assert perm_total() == before + 4  # other criteria: computed again, with the new audit


def test_social_evidence_says_which_day_the_figures_describe(demo):
    methodology = methodology_for(2022)
    Organization.objects.filter(short_name="Свердловская областная").update(members_count=9000)
    scores = score(methodology, [org("Свердловская областная")], dt.date(2022, 1, 1),
                   dt.date(2022, 12, 31))
    subscribers, _ = result(scores, "Свердловская областная", "subscribers")
    assert "(данные на 28.02.2022)" in subscribers.outcome.evidence, subscribers.outcome


def test_reading_a_methodology_writes_nothing(demo, client):
    from profinfo.evaluation.models import Methodology

    methodology_for(2021)
    before = Methodology.objects.count()
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    assert client.get(reverse("methodology-xlsx") + "?year=2030").status_code == 200
    assert client.get(reverse("report", args=["ratings"]) + "?start=2030-01-01&end=2030-12-31"
                      ).status_code == 200
    assert Methodology.objects.count() == before


def test_a_year_gets_its_own_methodology_from_the_admin_or_the_console(demo, client):
    from profinfo.evaluation.models import Methodology

    past = methodology_for(2021)
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    client.post(reverse("admin:evaluation_methodology_changelist"),
                {"action": "copy_to_next_year", "_selected_action": [past.pk]})
    made = Methodology.objects.get(year=2022)
    assert methodology_for(2022) == made != past
    assert made.blocks.count() == past.blocks.count()
    call_command("methodology", "create", "--year", "2023")
    assert methodology_for(2023).year == 2023
