"""The participant's contest pages: applying, the анкета with its files, confirmation by the
ТО, the rank among all participants (names hidden when the contest says so), disputes and the
published results seen without a login."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profinfo.contest import services
from profinfo.contest.models import (
    Application,
    ApplicationState,
    Attachment,
    ConfirmingOrganization,
    Dispute,
    Nomination,
    Publicity,
    Result,
    Stage,
)
from profinfo.contest.results import criterion_key
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Resource
from tests.contest import conftest as contest_setup
from tests.factories import EDITOR, EXPERT, org, user_with

YEAR = contest_setup.YEAR
contest, organizer = contest_setup.contest, contest_setup.organizer  # the shared fixtures

PERM, UDM, VOTKINSK = "Пермская краевая", "Удмуртская республиканская", "ППО «Воткинский завод»"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def scope(user):
    user._profinfo_scope = None
    return Scope.for_user(user)


def stage(contest, to, organizer):
    services.stage_set(contest, to, scope=scope(organizer), user=organizer)
    contest.refresh_from_db()


def answers_for(nomination, text="Группа ВКонтакте: vk.com/example, обложка и закреплённый пост"):
    return {criterion_key(c): text for c in services.jury_criteria(nomination)}


def submitted(nomination, short, username):
    """An application made and submitted through the services by an editor of `short`."""
    editor = user_with(EDITOR, short, username=username)
    application = services.application_create(nomination=nomination, organization=org(short),
                                               scope=scope(editor), user=editor)
    services.application_update(application, answers=answers_for(nomination), contact="Иванова",
                                scope=scope(editor))
    return services.application_submit(application, scope=scope(editor), user=editor), editor


def url(name, *args):
    return reverse(name, args=[YEAR, *args])


@pytest.fixture
def open_contest(contest, organizer):
    stage(contest, Stage.APPLICATIONS, organizer)
    return contest


@pytest.fixture
def territorial(open_contest):
    return open_contest.nominations.get(level="territorial")


def test_editor_applies_answers_attaches_and_submits(territorial, client):
    editor = user_with(EDITOR, PERM, username="perm-editor")
    client.force_login(editor)
    page = client.get(url("contest-apply")).content.decode()
    assert org(PERM).name in page and org(UDM).name not in page

    # an organization outside the editor's scope: a form error, nothing created, no name
    response = client.post(url("contest-apply"), {"organization": org(UDM).pk,
                                                  "nomination": territorial.pk})
    assert response.status_code == 200
    assert "Выберите значение из списка" in response.content.decode()
    assert org(UDM).name not in response.content.decode()
    assert not Application.objects.exists()

    response = client.post(url("contest-apply"), {"organization": org(PERM).pk,
                                                  "nomination": territorial.pk})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("contest-application", application.pk)
    assert application.organization == org(PERM) and application.created_by == editor

    # the same again: the service's refusal in Russian, still one application
    again = client.post(url("contest-apply"), {"organization": org(PERM).pk,
                                               "nomination": territorial.pk})
    assert "уже есть" in again.content.decode()
    assert Application.objects.count() == 1

    criteria = services.jury_criteria(territorial)
    assert len(criteria) >= 2
    page = client.get(url("contest-application", application.pk)).content.decode()
    for criterion in criteria:
        assert criterion.title in page
    assert "что показать жюри: ссылки, описание" in page.lower()

    fields = {f"answer_{c.pk}": f"Ответ по «{c.code}»" for c in criteria}
    response = client.post(url("contest-application", application.pk),
                           {**fields, "contact": "Петрова, 8-900", "action": "save"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers[criterion_key(criteria[0])] == f"Ответ по «{criteria[0].code}»"
    assert application.contact == "Петрова, 8-900"
    assert application.state == ApplicationState.DRAFT

    # submitting with an answer missing: what is missing is named, nothing is saved
    incomplete = {**fields, f"answer_{criteria[-1].pk}": "", "contact": "другой",
                  "action": "submit"}
    response = client.post(url("contest-application", application.pk), incomplete)
    assert response.status_code == 200
    assert f"Заполните в анкете: «{criteria[-1].title}»" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.contact == "Петрова, 8-900"
    assert application.answers[criterion_key(criteria[-1])] != ""

    response = client.post(url("contest-application", application.pk), {
        "action": "attach", "title": "Бюллетень № 3",
        "file": SimpleUploadedFile("bulletin.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.title == "Бюллетень № 3" and attachment.size == len(PDF)

    response = client.post(url("contest-application", application.pk), {
        "action": "attach", "title": "Не PDF",
        "file": SimpleUploadedFile("fake.pdf", b"<html>just a page</html>",
                                   content_type="application/pdf")})
    assert response.status_code == 200
    assert "не похож на PDF" in response.content.decode()
    assert Attachment.objects.count() == 1

    download = client.get(url("contest-attachment", attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Disposition"].startswith("attachment;")
    page = client.get(url("contest-application", application.pk)).content.decode()
    assert "Бюллетень № 3" in page

    response = client.post(url("contest-application", application.pk),
                           {**fields, "contact": "Петрова", "action": "submit"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None


def test_editor_of_another_organization_gets_not_found(territorial, client):
    application, _ = submitted(territorial, PERM, "perm-editor")
    attachment = Attachment.objects.create(application=application, title="Отчёт", size=3,
                                           file=SimpleUploadedFile("a.pdf", PDF))
    outsider = user_with(EDITOR, UDM, username="udm-editor")
    client.force_login(outsider)
    for name, pk in [("contest-application", application.pk),
                     ("contest-standing", application.pk),
                     ("contest-attachment", attachment.pk)]:
        assert client.get(url(name, pk)).status_code == 404, name
    before = Application.objects.values().get()
    response = client.post(url("contest-application", application.pk),
                           {"action": "withdraw"})
    assert response.status_code == 404
    assert Application.objects.values().get() == before
    # an application of another year's address is not found either
    assert client.get(reverse("contest-application",
                              args=[YEAR + 1, application.pk])).status_code == 404


def test_a_reader_who_may_not_edit_gets_403_on_a_change(territorial, client):
    application, _ = submitted(territorial, PERM, "perm-editor")
    observer = user_with("observer", PERM, username="perm-observer")
    client.force_login(observer)
    assert client.get(url("contest-application", application.pk)).status_code == 200
    response = client.post(url("contest-application", application.pk), {"action": "withdraw"})
    assert response.status_code == 403
    assert "редакторы организации" in response.content.decode()
    assert client.get(url("contest-apply")).status_code == 403
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_primary_organization_waits_for_its_territorial_confirmation(open_contest, organizer,
                                                                     client):
    ConfirmingOrganization.objects.create(contest=open_contest, organization=org(UDM))
    primary = Nomination.objects.create(contest=open_contest, title="Лучшая ППО",
                                        level="primary", order=2)
    application, ppo_editor = submitted(primary, VOTKINSK, "votkinsk-editor")
    assert application.state == ApplicationState.AWAITING

    client.force_login(ppo_editor)
    page = client.get(url("contest-application", application.pk)).content.decode()
    assert "Заявка ждёт подтверждения" in page and org(UDM).name in page
    assert 'value="confirm"' not in page
    response = client.post(url("contest-application", application.pk), {"action": "confirm"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == ApplicationState.AWAITING

    to_editor = user_with(EDITOR, UDM, username="udm-editor")
    client.force_login(to_editor)
    page = client.get(url("contest-application", application.pk)).content.decode()
    assert "Подтвердить" in page
    response = client.post(url("contest-application", application.pk), {"action": "confirm"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.confirmed_by == to_editor


@pytest.fixture
def interaction(territorial, organizer):
    """Perm and Udmurtia both in the territorial nomination, the contest in «взаимодействие»."""
    perm, perm_editor = submitted(territorial, PERM, "perm-editor")
    udm, _ = submitted(territorial, UDM, "udm-editor")
    contest = territorial.contest
    stage(contest, Stage.EVALUATION, organizer)
    return contest, perm, udm, perm_editor


def test_results_hidden_before_interaction(territorial, client):
    application, editor = submitted(territorial, PERM, "perm-editor")
    client.force_login(editor)
    page = client.get(url("contest-standing", application.pk)).content.decode()
    assert "Результаты пока не видны" in page
    assert "-е место" not in page


def test_rank_counts_every_participant_and_anonymity_hides_names(interaction, organizer,
                                                                 client):
    contest, perm, udm, perm_editor = interaction
    stage(contest, Stage.INTERACTION, organizer)
    client.force_login(perm_editor)  # reads only Perm, yet is ranked among both
    assert not scope(perm_editor).can_read(org(UDM))

    contest.publicity = Publicity.NAMES
    contest.save()
    page = client.get(url("contest-standing", perm.pk)).content.decode()
    assert "Предварительные результаты" in page
    assert "-е место из 2" in page
    assert org(UDM).name in page

    contest.publicity = Publicity.ANONYMOUS
    contest.save()
    page = client.get(url("contest-standing", perm.pk)).content.decode()
    assert "-е место из 2" in page
    assert "Удмурт" not in page
    assert "Участник " in page and org(PERM).name in page


def test_dispute_with_a_file_then_refused_after_the_stage(interaction, organizer,
                                                          client):
    contest, perm, udm, perm_editor = interaction
    stage(contest, Stage.INTERACTION, organizer)
    design = next(c for c in services.jury_criteria(perm.nomination) if c.code == "design")
    client.force_login(perm_editor)
    page = client.get(url("contest-standing", perm.pk)).content.decode()
    assert "Оспорить" in page

    prefix = f"c{design.pk}"
    response = client.post(url("contest-standing", perm.pk), {
        "criterion": design.pk, f"{prefix}-comment": "Обложка сообщества есть с марта",
        f"{prefix}-file": SimpleUploadedFile("cover.pdf", PDF)})
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.criterion == design and dispute.created_by == perm_editor
    assert dispute.file.name.endswith(".pdf")
    download = client.get(url("contest-dispute-file", dispute.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    page = client.get(url("contest-standing", perm.pk)).content.decode()
    assert "Обложка сообщества есть с марта" in page and "на рассмотрении" in page

    # a criterion of no nomination of the application: refused, nothing written
    response = client.post(url("contest-standing", perm.pk),
                           {"criterion": 999999, "c999999-comment": "x"})
    assert response.status_code == 302 and Dispute.objects.count() == 1

    client.force_login(user_with(EDITOR, UDM, username="udm-reader"))
    assert client.get(url("contest-dispute-file", dispute.pk)).status_code == 404

    services.dispute_answer(dispute, accepted=True, points=design.points, answer="Принято",
                            scope=scope(organizer), user=organizer)
    stage(contest, Stage.SUMMING_UP, organizer)
    assert contest.is_frozen
    client.force_login(perm_editor)
    response = client.post(url("contest-standing", perm.pk), {
        "criterion": design.pk, f"{prefix}-comment": "Ещё раз"}, follow=True)
    assert "только на этапе «взаимодействие»" in response.content.decode()
    assert Dispute.objects.count() == 1
    page = response.content.decode()
    assert "Итоговые результаты" in page and "-е место из 2" in page
    assert "Принято" in page and "Оспорить</summary>" not in page


def test_public_results_only_once_published(interaction, organizer, client):
    contest, perm, udm, _ = interaction
    public = url("contest-public")
    assert client.get(public).status_code == 404  # nobody signed in, not yet published
    stage(contest, Stage.INTERACTION, organizer)
    stage(contest, Stage.SUMMING_UP, organizer)
    assert client.get(public).status_code == 404  # frozen, not published
    stage(contest, Stage.PUBLISHED, organizer)
    response = client.get(public)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Победители" in page
    assert org(PERM).name in page and org(UDM).name in page
    assert "1-е место" in page
    assert "пример" not in page
    contest.is_example = True
    contest.save()
    assert "пример" in client.get(public).content.decode()
    assert client.get(reverse("contest-public", args=[YEAR + 1])).status_code == 404


def test_organization_page_links_to_its_applications(territorial, client):
    editor = user_with(EDITOR, PERM, username="perm-editor")
    client.force_login(editor)
    page = client.get(reverse("org-detail", args=[org(PERM).pk])).content.decode()
    assert url("contest-apply") in page
    application, _ = submitted(territorial, PERM, "perm-other-editor")
    page = client.get(reverse("org-detail", args=[org(PERM).pk])).content.decode()
    assert url("contest-application", application.pk) in page
    assert url("contest-standing", application.pk) not in page  # no scores before interaction


def test_a_file_past_the_limits_is_refused(territorial, client, settings, monkeypatch):
    editor = user_with(EDITOR, PERM, username="perm-editor")
    application = services.application_create(nomination=territorial, organization=org(PERM),
                                               scope=scope(editor), user=editor)
    client.force_login(editor)
    big = PDF + b"0" * 5000

    # past the upload handler's limit the file arrives empty: the form refuses it
    settings.PROFINFO_FILE_MAX_BYTES = settings.PROFINFO_IMPORT_MAX_BYTES = 1000
    response = client.post(url("contest-application", application.pk), {
        "action": "attach", "title": "Большой", "file": SimpleUploadedFile("big.pdf", big)})
    assert response.status_code == 200 and "Файл больше" in response.content.decode()

    # within the upload limit but past the contest's: the service refuses it
    settings.PROFINFO_FILE_MAX_BYTES = settings.PROFINFO_IMPORT_MAX_BYTES = 10**7
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 1000)
    response = client.post(url("contest-application", application.pk), {
        "action": "attach", "title": "Большой", "file": SimpleUploadedFile("big.pdf", big)})
    assert response.status_code == 200 and "уменьшите его или разделите" in \
        response.content.decode()
    assert not Attachment.objects.exists()


def test_apply_refused_outside_the_stage_says_why(contest, client):
    editor = user_with(EDITOR, PERM, username="perm-editor")
    client.force_login(editor)
    nomination = contest.nominations.get(level="territorial")
    page = client.get(url("contest-apply")).content.decode()
    assert "Сейчас заявки не принимаются" in page
    response = client.post(url("contest-apply"), {"organization": org(PERM).pk,
                                                  "nomination": nomination.pk})
    assert response.status_code == 200
    assert "Заявки принимаются на этапе «приём заявок»" in response.content.decode()
    assert not Application.objects.exists()


def test_the_anketa_shows_the_nominations_kind_among_many_resources(open_contest, client):
    """An organization with 200 leaflets still finds its site in a site nomination's анкета."""
    Resource.objects.bulk_create([Resource(organization=org(PERM), kind="agitation",
                                           title=f"Листовка {i:03}") for i in range(200)])
    site = Resource.objects.get(organization=org(PERM), kind="site", is_active=True)
    editor = user_with(EDITOR, PERM, username="perm-editor")
    application = services.application_create(
        nomination=open_contest.nominations.get(resource_kind="site"), organization=org(PERM),
        scope=scope(editor), user=editor)
    assert [r["id"] for r in application.prefill["resources"]] == [site.pk]
    client.force_login(editor)
    page = client.get(url("contest-application", application.pk)).content.decode()
    assert site.title in page and "Листовка" not in page


def test_assigned_expert_and_organizer_read_the_files_others_do_not(territorial, organizer,
                                                                    client):
    application, _ = submitted(territorial, PERM, "perm-editor")
    attachment = Attachment.objects.create(application=application, title="Отчёт", size=3,
                                           file=SimpleUploadedFile("a.pdf", PDF))
    assigned = user_with(EXPERT, "Московская областная", username="expert-assigned")
    services.assignment_add(application, assigned, scope=scope(organizer), user=organizer)
    idle = user_with(EXPERT, "Московская областная", username="expert-idle")
    for user, status in [(assigned, 200), (organizer, 200), (idle, 404)]:
        client.force_login(user)
        assert client.get(url("contest-attachment", attachment.pk)).status_code == status
        assert client.get(url("contest-application", application.pk)).status_code == status


def test_text_typed_into_the_anketa_stays_when_a_file_is_attached(territorial, client):
    editor = user_with(EDITOR, PERM, username="perm-types-then-attaches")
    application = services.application_create(nomination=territorial, organization=org(PERM),
                                               scope=scope(editor), user=editor)
    client.force_login(editor)
    page = client.get(url("contest-application", application.pk)).content.decode()
    assert 'form="answers"' in page  # the file's fields are sent with the анкета
    typed = {"action": "attach", "contact": "Петрова", "title": "Листовка",
             "file": SimpleUploadedFile("leaflet.pdf", PDF, content_type="application/pdf"),
             **{f"answer_{c.pk}": "Обложка и закреп" for c in services.jury_criteria(
                 territorial)}}
    assert client.post(url("contest-application", application.pk), typed).status_code == 302
    application.refresh_from_db()
    assert application.contact == "Петрова"
    assert set(application.answers.values()) == {"Обложка и закреп"}
    assert application.attachments.get().title == "Листовка"



def test_participant_reads_the_experts_comments_unnamed_and_gets_the_diploma(
        interaction, organizer, client):
    contest, perm, _, perm_editor = interaction
    expert = user_with(EXPERT, "Московская областная", username="commenting-expert")
    assignment = services.assignment_add(perm, expert, scope=scope(organizer), user=organizer)
    criteria = services.jury_criteria(perm.nomination)
    services.marks_save(assignment, {c.pk: (c.points, "") for c in criteria[1:]}
                        | {criteria[0].pk: (0, "Нет обложки сообщества")}, user=expert)
    stage(contest, Stage.INTERACTION, organizer)
    client.force_login(perm_editor)
    page = client.get(url("contest-standing", perm.pk)).content.decode()
    assert "Эксперт 1: Нет обложки сообщества" in page
    assert "commenting-expert" not in page
    stage(contest, Stage.SUMMING_UP, organizer)
    page = client.get(url("contest-standing", perm.pk)).content.decode()
    mine = Result.objects.get(snapshot__kind="final", application_pk=perm.pk)
    assert mine.place <= perm.nomination.places and mine.total > 0  # a prize place
    assert reverse("contest-diploma", args=[contest.year, mine.pk, "pdf"]) in page
