"""A whole contest cycle in Chromium, through the pages only, with every role in its own
browser: the organizer sets the contest up and moves its stages, two organizations apply with
a file, the organizer assigns two experts by hand and is refused a third for a conflict of
interest, the experts score (one mistake fixed), a participant disputes a score and sees the
answer, the results are frozen, the protocol and the diplomas are downloaded and read, and an
anonymous visitor sees the published winners. Screenshots at 1366×900, and of the scoring and
standing pages at 390×844 with no scrolling sideways."""

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.e2e.test_browser import browser, login, shot, shows, site  # noqa: F401
from tests.factories import EDITOR, EXPERT, user_with

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-12345"  # tests.factories.user_with's
NOMINATION = "Лучшая территориальная организация"
PERM = "Пермская краевая организация РОСПРОФПРОМ"
UDM = "Удмуртская республиканская организация РОСПРОФПРОМ"
DESIGN = "Оформление"  # the default methodology's jury criteria: 2 points and 1 point
EVERGREEN = "Наличие «вечнозелёного контента»"
CHAIR = "Иванов И. И."
MEMBER = "Петрова А. А."


def small_pdf() -> bytes:
    """A real one-page PDF (a viewer opens it): objects, an xref table with their offsets."""
    stream = b"BT /F1 18 Tf 72 720 Td (Bulletin 3, 2021) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return body


@pytest.fixture
def people(site):  # noqa: F811 — the fixture imported from test_browser
    """The participants' editors and the experts (the organizer is test_browser's «inform»)."""
    made = {}
    for username, role, org, first, last in (
            ("perm-editor", EDITOR, "Пермская краевая", "Ольга", "Пермякова"),
            ("udm-editor", EDITOR, "Удмуртская республиканская", "Игорь", "Ижевский"),
            ("expert-moscow", EXPERT, "Московская областная", "Анна", "Смирнова"),
            ("expert-ivanovo", EXPERT, "Ивановская областная", "Борис", "Орлов"),
            ("expert-perm", EXPERT, "Пермская краевая", "Пётр", "Камский")):
        user = user_with(role, org, username=username)
        user.first_name, user.last_name = first, last
        user.save()
        made[username] = user
    return made


def sign_in(browser, base, username, viewport=DESKTOP):  # noqa: F811
    """A browser of one's own (cookies apart from the others'), signed in through the form."""
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    return page


def no_sideways_scroll(page, what):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, (what, widths)


def on_phone(page, name, what):
    """The page as a phone shows it: no scrolling sideways; a screenshot; back to desktop."""
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)  # the layout follows the new width
    no_sideways_scroll(page, what)
    shot(page, name)
    page.set_viewport_size(DESKTOP)


def option_value(page, select, text):
    """The value of the select's option whose text contains `text` (labels carry counts)."""
    option = page.locator(f"{select} option", has_text=text)
    expect(option).to_have_count(1)
    return option.get_attribute("value")


def to_stage(page, base, year, label):
    page.goto(f"{base}/contest/{year}/")
    page.get_by_role("button", name=f"Перейти к этапу «{label}»").click()
    shows(page, f"Смотр-конкурс на этапе «{label}».")


def apply(browser, base, year, username, organization, pdf):  # noqa: F811
    page = sign_in(browser, base, username)
    page.get_by_role("link", name="Смотр-конкурс", exact=True).click()
    page.get_by_role("link", name="Подать заявку").first.click()
    expect(page.locator("h1")).to_have_text(f"Заявка на смотр-конкурс {year}")
    page.select_option("#id_organization", option_value(page, "#id_organization",
                                                         f"{organization} (ТО)"))
    page.select_option("#id_nomination", label=NOMINATION)
    page.click("button:has-text('Создать заявку')")
    shows(page, "Заполните анкету и подайте её")
    expect(page.locator("h1")).to_have_text(f"Заявка: {organization}")
    page.get_by_label(DESIGN, exact=True).fill("Обложка и закреплённая запись: vk.com/prof")
    page.get_by_label(EVERGREEN, exact=True).fill("Рубрика «Ваши права» каждую неделю")
    page.get_by_label("Контактное лицо").fill("Секретарь, +7 900 000-00-00")
    page.get_by_role("button", name="Сохранить черновик").click()
    shows(page, "Черновик заявки сохранён.")
    page.fill("#id_title", "Бюллетень, № 3, 2021")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Приложить файл").click()
    shows(page, "Файл приложен к заявке.")
    expect(page.get_by_role("link", name="Бюллетень, № 3, 2021")).to_be_visible()
    page.get_by_role("button", name="Подать заявку").click()
    shows(page, "Заявка подана и передана жюри.")
    expect(page.locator("dl.props.card")).to_contain_text("подана")
    return page


def assign(page, organization, experts, refused=None):
    """From the list of applications: the experts one by one on the application's page; then
    the one (name, message) whose assignment the page refuses. Back to the list."""
    page.get_by_role("link", name=organization, exact=True).click()
    for expert, message in [*((e, f"Эксперт «{e}» назначен на заявку") for e in experts),
                            *([refused] if refused else [])]:
        page.select_option("select[name=expert]",
                           option_value(page, "select[name=expert]", expert))
        page.get_by_role("button", name="Назначить", exact=True).click()
        shows(page, message)
    if refused:
        expect(page.locator(".messages")).to_contain_text("конфликт интересов")
        shot(page, "contest-04-conflict-refused")
    page.locator(".crumbs").get_by_role("link", name="Заявки", exact=True).click()


def score(page, marks):
    """{criterion title: (points, comment)} into the scoring form, then save."""
    for title, (points, comment) in marks.items():
        row = page.locator(".mark-row", has_text=title)
        row.locator("input[type=number]").fill(points)
        row.locator("textarea").fill(comment)
    page.get_by_role("button", name="Сохранить оценки").click()


def test_a_whole_contest_cycle_with_every_role(browser, site, people, tmp_path):  # noqa: F811
    from django.utils import timezone

    base, today = site, timezone.localdate()
    year = today.year
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(small_pdf())
    day = lambda n: (today + dt.timedelta(days=n)).isoformat()  # noqa: E731

    # 1. The organizer sets the contest up and opens applications
    org_context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="ru-RU")
    organizer = org_context.new_page()
    login(organizer, base)
    organizer.get_by_role("link", name="Смотр-конкурс", exact=True).click()
    organizer.get_by_role("link", name="Новый смотр-конкурс").click()
    expect(organizer.locator("#id_year")).to_have_value(str(year))
    for field, value in (("period_start", "2021-01-01"), ("period_end", "2022-02-28"),
                         ("applications_from", day(-1)), ("applications_until", day(10)),
                         ("evaluation_until", day(20)), ("interaction_until", day(30)),
                         ("results_on", day(40))):
        organizer.fill(f"#id_{field}", value)
    organizer.uncheck("#id_advance_by_dates")
    organizer.fill("#id_commission", f"{CHAIR} — председатель комиссии\n"
                                     f"{MEMBER} — член комиссии")
    shot(organizer, "contest-01-setup")
    organizer.get_by_role("button", name="Сохранить", exact=True).click()
    shows(organizer, f"Смотр-конкурс {year} года сохранён.")
    expect(organizer.locator("body")).to_contain_text("Этапы переключает организатор.")
    organizer.get_by_role("link", name="Добавить номинацию").click()
    organizer.fill("#id_title", NOMINATION)
    organizer.select_option("#id_level", label="ТО")
    organizer.get_by_role("button", name="Сохранить", exact=True).click()
    shows(organizer, f"Номинация «{NOMINATION}» сохранена.")
    to_stage(organizer, base, year, "приём заявок")
    shot(organizer, "contest-02-applications-open")

    # 2. Two organizations apply, each in a browser of its own
    perm = apply(browser, base, year, "perm-editor", PERM, pdf)
    shot(perm, "contest-03-application-submitted")
    udm = apply(browser, base, year, "udm-editor", UDM, pdf)
    udm.context.close()

    # 3. «оценка»; two experts by hand on each application, the Perm expert refused
    to_stage(organizer, base, year, "оценка")
    organizer.get_by_role("link", name="Заявки и эксперты").click()
    assign(organizer, UDM, ["Анна Смирнова", "Борис Орлов"])
    assign(organizer, PERM, ["Анна Смирнова", "Борис Орлов"], refused=(
        "Пётр Камский", "Нельзя назначить эксперта «Пётр Камский»: эксперт состоит в "
                        "организации «Пермская краевая» (конфликт интересов)."))
    refusals = organizer.locator("section", has_text="Отказы в назначении")
    expect(refusals).to_contain_text("Пётр Камский")
    expect(refusals).to_contain_text("эксперт состоит в организации «Пермская краевая»")
    experts_of_perm = organizer.locator("tr", has_text=PERM).locator("td[data-label='Эксперты']")
    expect(experts_of_perm).to_contain_text("Анна Смирнова, Борис Орлов")
    shot(organizer, "contest-05-experts-and-refusal")

    # 4. The experts score every jury criterion of both applications
    plan = {  # expert → organization → marks: Пермь second, until its dispute is accepted
        "expert-moscow": {PERM: {DESIGN: ("1", "Нет обложки сообщества"),
                                 EVERGREEN: ("1", "")},
                          UDM: {DESIGN: ("0.5", "Нет описания и обложки"),
                                EVERGREEN: ("0", "Таких материалов не нашлось")}},
        "expert-ivanovo": {PERM: {DESIGN: ("1", "Аватар низкого качества"),
                                  EVERGREEN: ("1", "")},
                           UDM: {DESIGN: ("0.5", "Оформление не закончено"),
                                 EVERGREEN: ("0", "Только новости")}}}
    for username, applications in plan.items():
        expert = sign_in(browser, base, username)
        expert.get_by_role("link", name="Смотр-конкурс", exact=True).click()
        expert.get_by_role("link", name="Мои заявки на оценку").first.click()
        expect(expert.locator("body")).to_contain_text("Назначено: 2, оценено: 0, осталось: 2")
        for organization, marks in applications.items():
            expert.get_by_role("link", name=organization, exact=True).click()
            expect(expert.locator("h1")).to_have_text(organization)
            attachment = expert.get_by_role("link", name="Бюллетень, № 3, 2021")
            expect(attachment).to_be_visible()
            response = expert.request.get(base + attachment.get_attribute("href"))
            assert response.ok and response.body().startswith(b"%PDF-1.4"), response.status
            if username == "expert-moscow" and organization == PERM:
                score(expert, {DESIGN: (marks[DESIGN][0], ""), EVERGREEN: marks[EVERGREEN]})
                shows(expert, "Оценки не сохранены.")
                expect(expert.locator(".form-errors")).to_contain_text(
                    f"«{DESIGN}»: балл ниже наибольшего — напишите, почему.")
                on_phone(expert, "contest-06-scoring-error-phone", "the scoring page")
                shot(expert, "contest-06-scoring-error")
            score(expert, marks)
            shows(expert, "Оценки сохранены.")
            expect(expert.locator("h1 + p")).to_contain_text("оценено")
            expert.locator(".crumbs").get_by_role("link", name="Мои заявки на оценку").click()
        expect(expert.locator("body")).to_contain_text("Назначено: 2, оценено: 2, осталось: 0")
        expert.context.close()

    # 5. «взаимодействие»: the participant sees its place and disputes a score
    to_stage(organizer, base, year, "взаимодействие")
    perm.reload()
    perm.get_by_role("link", name="Результаты и возражения").click()
    # the registry gives Удмуртия 3 points to Перми's 1; the jury, 0.5 to 2
    expect(perm.locator("p.stat")).to_have_text("2-е место из 2")
    expect(perm.locator("section", has_text="Участники номинации")).to_contain_text(UDM)
    design = perm.locator("tr", has_text=DESIGN)
    expect(design.locator("td[data-label='Баллы']")).to_have_text("1 из 2")
    design.get_by_text("Оспорить").click()
    design.locator("textarea").fill("Обложка есть с марта 2021 года: vk.com/prof")
    design.get_by_role("button", name="Отправить возражение").click()
    shows(perm, f"Возражение по критерию «{DESIGN}» отправлено.")
    expect(perm.locator("section", has_text="Возражения (1)")).to_contain_text(
        "на рассмотрении")

    organizer.goto(f"{base}/contest/{year}/")
    dispute = organizer.locator("article.dispute", has_text=PERM)
    expect(dispute).to_contain_text("Обложка есть с марта 2021 года")
    dispute.get_by_label("принять: поставить новый балл").check()
    dispute.locator("input[name=points]").fill("2")
    dispute.locator("textarea[name=answer]").fill("Обложка подтверждена, балл исправлен.")
    shot(organizer, "contest-07-dispute-answer")
    dispute.get_by_role("button", name="Ответить").click()
    shows(organizer, "принято: балл изменён.")

    perm.reload()
    answered = perm.locator("section", has_text="Возражения (1)")
    expect(answered).to_contain_text(f"{DESIGN} — принято")
    expect(answered).to_contain_text("Баллы до рассмотрения: 1, после: 2")
    expect(answered).to_contain_text("Обложка подтверждена, балл исправлен.")
    expect(answered).to_contain_text("организатор смотра")
    expect(perm.locator("tr", has_text=DESIGN).locator("td[data-label='Баллы']")
           ).to_have_text("2 из 2")
    expect(perm.locator("p.stat")).to_have_text("1-е место из 2")  # 4 points to 3,5
    shot(perm, "contest-08-standing")
    on_phone(perm, "contest-08-standing-phone", "the standing page")

    # 6. «подведение итогов»: frozen; the protocol and a diploma; publication
    to_stage(organizer, base, year, "подведение итогов")
    shows(organizer, "Итоги зафиксированы.")
    with organizer.expect_download() as protocol_download:
        organizer.get_by_role("link", name="Протокол (Word)").click()
    protocol = Document(protocol_download.value.path())
    text = "\n".join([p.text for p in protocol.paragraphs]
                     + [c.text for t in protocol.tables for r in t.rows for c in r.cells])
    assert "Протокол заседания конкурсной комиссии" in text
    assert f"Номинация «{NOMINATION}»" in text
    first_row = next(r for t in protocol.tables for r in t.rows if r.cells[0].text == "1")
    assert first_row.cells[1].text == PERM
    assert f"Председатель комиссии ____________________ {CHAIR}" in text
    assert f"____________________ {MEMBER}" in text
    assert "Обложка подтверждена, балл исправлен." in text  # the dispute, in the protocol

    # no page links one diploma: the winner's DOCX is read from the archive the page offers
    with organizer.expect_download() as diplomas_download:
        organizer.get_by_role("link", name="Дипломы (архив ZIP)").click()
    with zipfile.ZipFile(diplomas_download.value.path()) as archive:
        names = sorted(archive.namelist())
        assert len(names) == 2, names  # both organizations have prize places (3 of them)
        assert names[0].endswith(f"I место — {PERM}.docx"), names
        diploma = Document(io.BytesIO(archive.read(names[0])))
    lines = [p.text for p in diploma.paragraphs if p.text.strip()]
    assert "ДИПЛОМ" in lines and "I место" in lines and PERM in lines, lines
    assert f"в номинации «{NOMINATION}»" in lines, lines
    assert f"Председатель конкурсной комиссии ____________________ {CHAIR}" in lines, lines

    organizer.goto(f"{base}/contest/{year}/")
    organizer.get_by_role("button", name="Опубликовать итоги").click()
    shows(organizer, "Смотр-конкурс на этапе «опубликовано».")
    shot(organizer, "contest-09-published")

    anonymous = browser.new_context(viewport=DESKTOP, locale="ru-RU").new_page()
    anonymous.goto(f"{base}/contest/{year}/results/")
    winners = anonymous.locator("section", has_text=NOMINATION).locator("ul").first
    expect(winners.locator("li").first).to_contain_text(f"1-е место — {PERM}")
    expect(winners.locator("li").nth(1)).to_contain_text(f"2-е место — {UDM}")
    shot(anonymous, "contest-10-public-results")
    on_phone(anonymous, "contest-10-public-results-phone", "the public results")
    for page in (anonymous, perm, organizer):
        page.context.close()
