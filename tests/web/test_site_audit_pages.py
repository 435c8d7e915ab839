"""Audits kept as observations, overrides kept apart, the matrix page and its export."""

import datetime as dt

import pytest
from django.urls import reverse

from profinfo.monitoring import selectors, services
from profinfo.monitoring.accuracy import CorpusServers, corpus_sites
from profinfo.monitoring.criteria import CRITERIA
from profinfo.monitoring.models import CriterionOverride, Metric, Observation
from profinfo.registry.models import Resource
from tests.factories import ADMIN, EDITOR, org, report_sheet, user_with


@pytest.fixture
def wp_site(demo, settings, runs_in_process):
    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = True
    with CorpusServers([p for p in corpus_sites() if p.name == "wp_territorial"]) as urls:
        resource = Resource(organization=org("Пермская краевая"), kind="site",
                            url=urls["wp_territorial"])
        resource.full_clean(validate_unique=False, validate_constraints=False)
        resource.save()
        yield resource


def test_audit_from_the_page_is_kept_and_shown(wp_site, client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    response = client.post(reverse("site-audit", args=[wp_site.pk]))
    assert response.status_code == 302
    audit = Observation.objects.get(resource=wp_site, metric=Metric.SITE_AUDIT)
    assert audit.value == 11 and audit.details["criteria"]["fnpr_link"]["present"]
    assert wp_site.observations.filter(metric=Metric.LAST_PUBLICATION).exists()
    page = client.get(reverse("resource-detail", args=[wp_site.pk])).content.decode()
    assert "Состав коллегиальных органов" in page and "rukovodstvo" in page
    assert "изменить" not in page  # overrides are for administrators


def test_audit_fills_blank_site_facts_and_keeps_what_a_person_entered(wp_site, client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    client.post(reverse("site-audit", args=[wp_site.pk]))
    wp_site.refresh_from_db()
    assert (wp_site.cms, wp_site.metrica_id) == ("WordPress", "69807571")
    assert wp_site.history.first().history_change_reason.startswith("заполнено автоматической")
    Resource.objects.filter(pk=wp_site.pk).update(metrica_id="111", cms="Своя CMS")
    client.post(reverse("site-audit", args=[wp_site.pk]))
    wp_site.refresh_from_db()
    assert (wp_site.cms, wp_site.metrica_id) == ("Своя CMS", "111")
    page = client.get(reverse("resource-detail", args=[wp_site.pk])).content.decode()
    assert "найден счётчик Метрики 69807571, в реестре указан 111" in page
    # «Вёрстка для компьютера» needs a browser (tests render nothing): not checked, not «нет»
    assert "История проверок" in page and f"11 из {len(CRITERIA)}; не проверено: 1" in page


def test_audit_history_says_what_changed(wp_site):
    from profinfo.monitoring.selectors import site_audit_history
    from profinfo.monitoring.services import observation_record_failure

    def audit(found: set[str]):
        criteria = {code: {"present": code in found, "evidence": None} for code in CRITERIA}
        Observation.objects.create(resource=wp_site, metric=Metric.SITE_AUDIT,
                                   value=len(found), period_end=dt.date.today(),
                                   source="automatic", details={"criteria": criteria})

    audit({"fnpr_link", "share_button"})
    observation_record_failure(resource=wp_site, code="timeout", message="Сайт не ответил.")
    audit({"fnpr_link", "ask_question"})
    newest, failure, oldest = site_audit_history(wp_site)
    assert newest.met == 2 and newest.gained == [CRITERIA["ask_question"]]
    assert newest.lost == [CRITERIA["share_button"]]
    assert failure.met is None and failure.observation.error_code == "timeout"
    assert oldest.gained == [] and oldest.lost == []


def test_override_is_kept_apart_and_wins(wp_site, client):
    admin = user_with(ADMIN, "РОСПРОФПРОМ")
    client.force_login(admin)
    client.post(reverse("site-audit", args=[wp_site.pk]))
    refused = client.post(reverse("criterion-override", args=[wp_site.pk]),
                          {"code": "fnpr_link", "present": "0", "reason": ""})
    assert refused.status_code == 302 and not CriterionOverride.objects.exists()
    client.post(reverse("criterion-override", args=[wp_site.pk]),
                {"code": "fnpr_link", "present": "0", "reason": "Баннер ведёт на чужой сайт"})
    override = CriterionOverride.objects.get()
    assert override.created_by == admin and not override.present
    audit = Observation.objects.get(resource=wp_site, metric=Metric.SITE_AUDIT)
    assert audit.details["criteria"]["fnpr_link"]["present"] is True  # what was found stays
    matrix = client.get(reverse("criteria-matrix") + "?format=xlsx")
    _, rows = report_sheet(matrix.content)
    headers = list(rows[0])
    row = next(r for r in rows if r[2] == wp_site.url)
    assert row[headers.index("Ссылка или баннер на сайт ФНПР")] == "нет"
    assert row[headers.index("Кнопка «Задать вопрос»")] == "да"
    # the page: numbered columns with their legend, a mark and its word in each cell
    html = client.get(reverse("criteria-matrix")).content.decode()
    number = list(CRITERIA).index("fnpr_link") + 1
    assert f'<abbr title="Ссылка или баннер на сайт ФНПР">{number}</abbr>' in html
    assert "<li>Ссылка или баннер на сайт ФНПР</li>" in html
    assert '✗<span class="sr-only"> нет</span>' in html  # the decision
    assert '✓<span class="sr-only"> да</span>' in html


def test_several_sites_read_at_once_agree_with_one_site_read_alone(wp_site, client):
    """`sites_criteria` (the jury's page, two queries) gives what `site_audit` gives: the
    latest audit that read the site, a failed check after it deciding nothing, the newest
    decision winning; a site never audited is «не проверено» throughout."""
    admin = user_with(ADMIN, "РОСПРОФПРОМ")
    client.force_login(admin)
    client.post(reverse("site-audit", args=[wp_site.pk]))
    for present, reason in ((True, "Первое решение"), (False, "Ссылки на fnpr.ru нет")):
        services.criterion_override(resource=wp_site, code="fnpr_link", present=present,
                                    reason=reason, user=admin)
    services.observation_record_failure(resource=wp_site, code="timeout", message="таймаут")
    never = Resource.objects.create(organization=org("Пермская краевая"), kind="site",
                                    url="https://never-audited.example/")

    def seen(rows):
        return [(r.code, r.found, r.evidence, r.present,
                 r.override.reason if r.override else None) for r in rows]

    together = selectors.sites_criteria([wp_site.pk, never.pk])
    assert seen(together[wp_site.pk]) == seen(selectors.site_audit(wp_site)[1])
    assert seen(together[never.pk]) == seen(selectors.site_audit(never)[1])
    fnpr = next(r for r in together[wp_site.pk] if r.code == "fnpr_link")
    assert fnpr.found is True and fnpr.present is False
    assert fnpr.override.reason == "Ссылки на fnpr.ru нет"
    assert sum(r.found is True for r in together[wp_site.pk]) == 11
    assert {r.present for r in together[never.pk]} == {None}


def test_editor_cannot_override_or_audit_elsewhere(wp_site, client):
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    assert client.post(reverse("criterion-override", args=[wp_site.pk]),
                       {"code": "fnpr_link", "present": "0", "reason": "x"}).status_code == 403
    client.force_login(user_with(EDITOR, "Свердловская областная"))
    assert client.post(reverse("site-audit", args=[wp_site.pk])).status_code == 404
    assert not Observation.objects.filter(resource=wp_site, metric=Metric.SITE_AUDIT).exists()


def test_failed_audit_is_kept_with_its_reason(demo, client, settings, runs_in_process):
    settings.PROFINFO_ALLOW_PRIVATE_ADDRESSES = False
    resource = Resource(organization=org("Пермская краевая"), kind="site",
                        url="http://127.0.0.5:9/")
    resource.full_clean(validate_unique=False, validate_constraints=False)
    resource.save()
    client.force_login(user_with(EDITOR, "Пермская краевая"))
    client.post(reverse("site-audit", args=[resource.pk]))
    failure = Observation.objects.get(resource=resource, ok=False)
    assert failure.error_code == "private_address"
    page = client.get(reverse("resource-detail", args=[resource.pk])).content.decode()
    assert "внутреннюю сеть" in page


def test_matrix_stays_in_scope(wp_site, client):
    client.force_login(user_with(EDITOR, "Свердловская областная"))
    page = client.get(reverse("criteria-matrix")).content.decode()
    assert wp_site.url not in page and "Пермская" not in page
