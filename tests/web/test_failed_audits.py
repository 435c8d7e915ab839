"""A failed audit, or a criterion no audit could check, is «не проверено» everywhere it is
shown — the site's page, the criteria matrix and its file, the report, the scores — never
«нет», and it is left out of the sum."""

import datetime as dt

import pytest
from django.urls import reverse

from profinfo.evaluation.defaults import methodology_for
from profinfo.evaluation.scoring import score
from profinfo.monitoring.collectors.site import SiteAudit
from profinfo.monitoring.collectors.site_criteria import NOT_CHECKED, Finding
from profinfo.monitoring.criteria import CRITERIA
from profinfo.monitoring.fetcher import FetchError
from profinfo.monitoring.models import LatestValue, Metric, Observation
from profinfo.monitoring.selectors import (
    audited_criteria,
    criteria_matrix,
    site_audit,
    site_audit_history,
)
from profinfo.monitoring.services import observation_record_failure, site_audit_store
from profinfo.organizations.models import Organization
from profinfo.organizations.scoping import Scope
from profinfo.reports.queries import site_criteria
from tests.factories import ADMIN, org, register, report_sheet, user_with

EVERYTHING = Scope(is_superuser=True)
PERM_SITE = "Сайт: Пермская краевая организация РОСПРОФПРОМ"


@pytest.fixture
def perm(demo):
    return register("https://perm-profsoyuz.example/", title=PERM_SITE + " (новый)")


def failed(resource, code="http_status", message="Сайт ответил ошибкой 500.", status=500):
    audit = SiteAudit(url=resource.url, status=status,
                      error=FetchError(code, message, url=resource.url))
    return site_audit_store(resource=resource, audit=audit)


def read(resource, found: set[str], unchecked: set[str] = frozenset()):
    """A successful audit: `found` present, `unchecked` not checked, the rest absent."""
    audit = SiteAudit(url=resource.url, final_url=resource.url, status=200, criteria={
        code: NOT_CHECKED if code in unchecked else Finding(code in found, "e" if
                                                            code in found else None)
        for code in CRITERIA})
    return site_audit_store(resource=resource, audit=audit)


def matrix_row(resource):
    _, rows = criteria_matrix(EVERYTHING)
    return dict(zip(CRITERIA, next(cells for r, cells in rows if r.pk == resource.pk),
                    strict=True))


def xlsx_row(client, resource):
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    _, rows = report_sheet(client.get(reverse("criteria-matrix") + "?format=xlsx").content)
    headers = list(rows[0])
    row = next(r for r in rows if r[2] == resource.url)
    return {code: row[headers.index(label)] for code, label in CRITERIA.items()}


def test_a_failed_audit_is_stored_as_a_failure_and_decides_no_criterion(perm, client):
    failure = failed(perm)
    assert (failure.metric, failure.ok, failure.error_code) == (Metric.CHECK, False,
                                                                "http_status")
    assert not perm.observations.filter(metric=Metric.SITE_AUDIT).exists()
    assert not LatestValue.objects.filter(resource=perm, metric=Metric.SITE_AUDIT).exists()
    assert perm.pk not in audited_criteria([perm.pk])
    assert set(matrix_row(perm).values()) == {None}
    assert set(xlsx_row(client, perm).values()) == {"не проверено"}
    page = client.get(reverse("resource-detail", args=[perm.pk])).content.decode()
    assert "не удалась: Сайт ответил ошибкой 500." in page
    assert "критерии не проверены" in page
    assert page.count(">не проверено</span>") == len(CRITERIA)
    assert 'badge bad">нет<' not in page


def test_an_older_successful_audit_stays_the_known_result_and_the_failure_is_shown(perm,
                                                                                  client):
    read(perm, {"fnpr_link"})
    failed(perm, "connection", "Не удалось соединиться с сайтом или соединение оборвалось.")
    cells = matrix_row(perm)
    assert cells["fnpr_link"] is True and cells["ask_question"] is False
    shown, rows, known = site_audit(perm)
    assert shown.ok is False and known.ok is True and known.metric == Metric.SITE_AUDIT
    assert {r.code: r.found for r in rows}["fnpr_link"] is True
    client.force_login(user_with(ADMIN, "РОСПРОФПРОМ"))
    page = client.get(reverse("resource-detail", args=[perm.pk])).content.decode()
    assert "не удалась: Не удалось соединиться" in page
    assert "по последней удачной проверке" in page
    history = site_audit_history(perm)
    assert [row.met for row in history] == [None, 1]


def test_a_metrica_failure_is_not_a_failed_audit(perm):
    read(perm, {"fnpr_link"})
    observation_record_failure(resource=perm, code="auth", message="Сервис не принял ключ.",
                               details={"counter": "1", "from": "2024-01-01",
                                        "to": "2024-01-31"})
    shown, _, _ = site_audit(perm)
    assert shown.ok and shown.metric == Metric.SITE_AUDIT
    assert [row.met for row in site_audit_history(perm)] == [1]


def test_unchecked_criteria_of_a_read_site_are_unknown_not_absent(perm, client):
    read(perm, {"fnpr_link"}, unchecked={"mobile_layout", "ask_question"})
    stored = Observation.objects.get(resource=perm, metric=Metric.SITE_AUDIT)
    assert stored.value == 1
    assert stored.details["criteria"]["mobile_layout"] == {"present": None, "evidence": None}
    assert stored.details["criteria"]["share_button"]["present"] is False
    _, found = audited_criteria([perm.pk])[perm.pk]
    assert "mobile_layout" not in found and found["share_button"] is False
    cells = matrix_row(perm)
    assert cells["mobile_layout"] is None and cells["share_button"] is False
    assert xlsx_row(client, perm)["mobile_layout"] == "не проверено"
    report = site_criteria(EVERYTHING, dt.date(2000, 1, 1), dt.date.today())
    row = next(r for r in report.rows if r[1] == perm.title)
    assert row.count("не проверено") == 2 and "—" not in row


def test_an_unchecked_criterion_is_left_out_of_the_scores(perm):
    read(perm, {"fnpr_link"}, unchecked={"ask_question"})
    organizations = list(Organization.objects.filter(level="territorial"))
    scores = score(methodology_for(dt.date.today().year), organizations,
                   dt.date(dt.date.today().year, 1, 1), dt.date.today())
    mine = next(s for s in scores if s.organization_id == org("Пермская краевая").pk)
    results = {r.criterion.code: r for r in mine.results}
    assert results["fnpr-link"].outcome.met is True and results["fnpr-link"].points
    # «нет» on the site checked, but the organization's other site was never checked: the
    # button may be there, so the criterion is unknown and says which site is missing
    share = results["share-button"]
    assert share.outcome.met is None and share.points is None
    assert "сайт «" + PERM_SITE + "» не проверен" in share.outcome.evidence
    ask = results["ask-question"]
    assert ask.outcome.met is None and ask.points is None  # unknown: not a zero
    assert "не проверено" in ask.outcome.evidence and "не выполнен" not in ask.outcome.evidence
    assert mine.known == sum(1 for r in mine.results if r.outcome.met is not None)


def test_a_failed_audit_leaves_the_site_criteria_unknown_in_the_scores(perm):
    failed(perm)
    organizations = list(Organization.objects.filter(level="territorial"))
    scores = score(methodology_for(dt.date.today().year), organizations,
                   dt.date(dt.date.today().year, 1, 1), dt.date.today())
    mine = next(s for s in scores if s.organization_id == org("Пермская краевая").pk)
    site_results = [r for r in mine.results if r.criterion.code.replace("-", "_") in CRITERIA]
    assert site_results and all(r.outcome.met is None and r.points is None
                                for r in site_results)
    assert "сайт не открылся" in site_results[0].recommendation  # not «ещё не проверялся»


def test_history_does_not_call_an_unchecked_criterion_lost(perm):
    read(perm, {"fnpr_link", "mobile_layout"})
    read(perm, {"fnpr_link", "ask_question"}, unchecked={"mobile_layout"})
    newest, oldest = site_audit_history(perm)
    assert newest.gained == [CRITERIA["ask_question"]] and newest.lost == []
    assert (newest.met, newest.unchecked, oldest.unchecked) == (2, 1, 0)
