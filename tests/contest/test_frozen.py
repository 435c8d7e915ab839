"""A frozen contest is a signed protocol: what happens later — a new observation, an override,
a methodology import, an organization moved or renamed — changes the live computation but never
the frozen results. And an action the contest refuses writes nothing."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from profinfo.contest import services
from profinfo.contest.models import ConflictRefusal, Result, Stage
from profinfo.contest.results import standings
from profinfo.contest.services import ContestRefused
from profinfo.evaluation.exchange import MethodologyImportError, export_xlsx, import_xlsx
from profinfo.monitoring.criteria import CRITERIA
from profinfo.monitoring.models import Metric, Observation
from profinfo.monitoring.services import criterion_override, latest_values_refresh
from profinfo.organizations.services import organization_move, organization_update
from profinfo.registry.models import Resource
from tests.contest.conftest import PERM, UDM, scope, score_all
from tests.factories import EDITOR, EXPERT, org, user_with


def frozen_rows():
    return sorted(Result.objects.filter(snapshot__kind="final", snapshot__superseded=False)
                  .values_list("organization_pk", "organization_name", "total", "place",
                               "criteria", "blocks"), key=repr)


def live_totals(contest):
    return {s.organization_id: s.total for rows in standings(contest).values() for s in rows}


def perm_site():
    return Resource.objects.get(title="Сайт: Пермская краевая организация РОСПРОФПРОМ")


@pytest.fixture
def frozen(cycle, contest, organizer):
    nomination, (perm, udm), experts = cycle
    for expert in experts:
        score_all(perm, expert, lambda c: c.points / 2)
        score_all(udm, expert, lambda c: c.points / 2)
    services.stage_set(contest, Stage.INTERACTION, scope=scope(organizer), user=organizer)
    services.stage_set(contest, Stage.SUMMING_UP, scope=scope(organizer), user=organizer)
    assert contest.is_frozen
    return contest


def test_frozen_results_do_not_follow_later_changes(frozen, organizer):
    before, live_before = frozen_rows(), live_totals(frozen)
    site = perm_site()
    latest_values_refresh([Observation.objects.create(
        resource=site, metric=Metric.SITE_AUDIT, value=len(CRITERIA),
        period_end=dt.date(2021, 11, 1), source="automatic",
        details={"criteria": {code: {"present": True, "evidence": None}
                              for code in CRITERIA}})])
    criterion_override(resource=site, code="fnpr_news", present=False, reason="проверено",
                       user=organizer)
    with pytest.raises(MethodologyImportError, match="утверждена"):
        import_xlsx(export_xlsx(frozen.methodology), year=2021)
    import_xlsx(export_xlsx(frozen.methodology), year=2022)  # another year's import
    organization_update(org=org(PERM), name="Переименованная организация")
    organization_move(org=org(PERM), new_parent=org(UDM))

    assert live_totals(frozen) != live_before  # the test would see a change
    assert frozen_rows() == before


def test_reopening_is_explicit_and_logged(frozen, organizer):
    with pytest.raises(ContestRefused, match="причин"):
        services.results_reopen(frozen, scope=scope(organizer), user=organizer, reason=" ")
    assert frozen.is_frozen
    services.results_reopen(frozen, scope=scope(organizer), user=organizer,
                            reason="ошибка в оценке")
    assert not frozen.is_frozen
    assert frozen.events.filter(reason="ошибка в оценке").exists()
    assert frozen.history.filter(history_change_reason="ошибка в оценке").exists()


def database_state():
    """Every row of the project's own tables (the conflict log aside, which is the one
    thing a refusal is meant to write), to compare before and after."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label.startswith(("contest", "evaluation", "registry",
                                             "organizations", "monitoring")) \
                and model is not ConflictRefusal:
            state[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return state


def test_every_refused_action_leaves_the_database_unchanged(cycle, contest, organizer):
    nomination, (perm, udm), (first, second) = cycle
    editor = user_with(EDITOR, PERM, username="perm-late")
    outsider = user_with(EDITOR, UDM, username="udm-editor")
    own_expert = user_with(EXPERT, PERM, username="perm-expert")
    design = services.jury_criteria(nomination)[0]
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    refused = [
        lambda: services.application_create(nomination=nomination, organization=org(PERM),
                                            scope=scope(editor), user=editor),
        lambda: services.application_withdraw(perm, scope=scope(editor), user=editor),
        lambda: services.attachment_add(perm, title="x", upload=pdf, scope=scope(editor),
                                        user=editor),
        lambda: services.application_update(udm, answers={}, contact="",
                                            scope=scope(editor)),
        lambda: services.assignment_add(perm, own_expert, scope=scope(organizer),
                                        user=organizer),
        lambda: services.marks_save(perm.assignments.get(expert=first),
                                    {design.pk: (0, "")}, user=first),
        lambda: services.marks_save(perm.assignments.get(expert=first),
                                    {design.pk: (design.points, "")}, user=second),
        lambda: services.dispute_open(perm, design, comment="нет", upload=None,
                                      scope=scope(editor), user=editor),
        lambda: services.stage_set(contest, Stage.PUBLISHED, scope=scope(organizer),
                                   user=organizer),
        lambda: services.stage_set(contest, Stage.APPLICATIONS, scope=scope(organizer),
                                   user=organizer),
        lambda: services.stage_set(contest, Stage.INTERACTION, scope=scope(outsider),
                                   user=outsider),
        lambda: services.results_freeze(contest, user=organizer),
        lambda: services.results_reopen(contest, scope=scope(organizer), user=organizer,
                                        reason="так надо"),
    ]
    before = database_state()
    for number, action in enumerate(refused):
        with pytest.raises(ContestRefused):
            action()
        assert database_state() == before, f"refused action {number} wrote something"
