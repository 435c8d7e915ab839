"""The contest on top of bench/registry's federation: three nominations, submitted
applications with their анкеты, the registry's prefill and attachments, experts on ППО that
do not take part, each application given to `per_application` experts without a conflict of
interest, every assignment scored on every jury criterion of its nomination, and a few
answered disputes — written past the ORM (profinfo.bulk), history rows included, as the
services would have left them.

At scale 1.0: 20,000 applications (the federation's ТО and 19,984 ППО), 300 experts,
100,000 assignments (about 333 an expert), 200,000 marks (the default methodology's two jury
criteria, «Оформление» and «вечнозелёный контент», in every nomination).
"""

from __future__ import annotations

import datetime as dt
import random
import time

APPLICATIONS = 20_000
EXPERTS = 300
ORGS_PER_APPLICATION = 1.05  # the federation is a little bigger: experts sit on the rest
EXPERT_PASSWORD = "bench-expert-password-1"

ANSWER = ("Страница ВКонтакте с обложкой, аватаром и описанием; закреплена запись о том, как "
          "вступить в профсоюз. Рубрики: «Юрист отвечает», «Охрана труда», «Молодёжь». ")
COMMENTS = ["Обложки нет, описание не заполнено.", "Закреплённой записи нет.",
            "Полезных материалов мало: в основном новости.", "Оформление частичное."]


def federation_scale(applications: int) -> float:
    """The bench/registry scale whose federation holds the applicants and the experts."""
    return applications * ORGS_PER_APPLICATION / 100_000


def build(*, applications: int, experts: int, per_application: int, seed: int = 11) -> dict:
    """The contest, in «оценка», over the federation already generated."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from profinfo import bulk
    from profinfo.contest import services
    from profinfo.contest.models import (
        Application,
        ApplicationState,
        Assignment,
        Attachment,
        Contest,
        Dispute,
        DisputeState,
        Mark,
        Nomination,
        Stage,
    )
    from profinfo.contest.results import criterion_key
    from profinfo.evaluation.defaults import methodology_of_year
    from profinfo.organizations.models import Level, Membership, Organization, Role
    from profinfo.organizations.scoping import Scope
    from profinfo.organizations.services import membership_grant

    rng = random.Random(seed)
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    end = dt.date.today()
    start = end - dt.timedelta(days=365)
    User = get_user_model()

    root = Organization.get_root_nodes().first()
    organizer = User.objects.create_user("bench-organizer", password="bench-organizer-pass-1")
    membership_grant(user=organizer, org=root, role=Role.ADMIN)
    scope = Scope.for_user(organizer)
    contest = services.contest_save(Contest(
        year=end.year, title="Смотр-конкурс на лучшую организацию информационной работы",
        methodology=methodology_of_year(end.year), period_start=start, period_end=end,
        applications_from=start, applications_until=end + dt.timedelta(days=30),
        evaluation_until=end + dt.timedelta(days=60),
        interaction_until=end + dt.timedelta(days=90), results_on=end + dt.timedelta(days=91),
        advance_by_dates=False), scope=scope, user=organizer)
    nominations = [
        services.nomination_save(Nomination(
            contest=contest, title="Лучшая первичная профсоюзная организация",
            level=Level.PRIMARY), scope=scope),
        services.nomination_save(Nomination(
            contest=contest, title="Лучшая работа в социальных сетях", level=Level.PRIMARY,
            resource_kind="social", blocks="social", order=1), scope=scope),
        services.nomination_save(Nomination(
            contest=contest, title="Лучшая территориальная организация",
            level=Level.TERRITORIAL, order=2), scope=scope),
    ]
    primary_a, primary_b, territorial = nominations
    services.stage_set(contest, Stage.APPLICATIONS, scope=scope, user=organizer)

    orgs = list(Organization.objects.filter(is_active=True).order_by("pk")
                .values_list("pk", "path", "level", "name", "members_count"))
    tos = [o for o in orgs if o[2] == Level.TERRITORIAL]
    ppos = [o for o in orgs if o[2] == Level.PRIMARY]
    applicants = [(territorial, o) for o in tos[:applications]]
    wanted = applications - len(applicants)
    if wanted > len(ppos) - experts:
        raise SystemExit(f"a federation of {len(orgs):,} organizations is too small for "
                         f"{applications:,} applications and {experts} experts")
    rng.shuffle(ppos)
    # Experts sit on ППО that do not apply, spread over the ТО.
    expert_orgs, ppos = ppos[wanted:wanted + experts], ppos[:wanted]
    applicants += [(primary_a if i % 2 else primary_b, o) for i, o in enumerate(ppos)]

    with transaction.atomic():
        jury = {n.pk: services.jury_criteria(n) for n in nominations}
        prefills = _prefills(contest, nominations, applicants)
        apps = []
        for nomination, (pk, *_rest) in applicants:
            apps.append(Application(
                nomination_id=nomination.pk, organization_id=pk,
                state=ApplicationState.SUBMITTED, prefill=prefills[(nomination.pk, pk)],
                answers={criterion_key(c): ANSWER + f"Заявка организации № {pk}."
                         for c in jury[nomination.pk]},
                contact=f"Иванова Мария Петровна, +7 900 {pk % 1000:03d}-{pk % 97:02d}-00",
                submitted_at=now, created_at=now))
        bulk.insert(Application, apps)
        bulk.insert_history(Application, apps, user=organizer)
        attachments = [Attachment(application_id=a.pk, title=title, size=rng.randint(1, 9)
                                  * 100_000, file=f"contest/{end.year}/application-{a.pk}."
                                  + extension, uploaded_at=now)
                       for a in apps for title, extension in
                       (("Бюллетень, № 3", "pdf"), ("Снимок страницы ВКонтакте", "png"))]
        bulk.insert(Attachment, attachments)

        password = make_password(EXPERT_PASSWORD)
        users = User.objects.bulk_create([
            User(username=f"expert-{i:03d}", password=password, first_name="Эксперт",
                 last_name=f"№ {i}", is_active=True) for i in range(experts)])
        if users[0].pk is None:  # backends that do not return ids
            users = list(User.objects.filter(username__startswith="expert-").order_by("pk"))
        Membership.objects.bulk_create([
            Membership(user=u, organization_id=o[0], role=Role.EXPERT)
            for u, o in zip(users, expert_orgs, strict=True)])
        expert_paths = [o[1] for o in expert_orgs]

        assignments = []
        for index, (application, (_, (_pk, path, *_rest))) in enumerate(
                zip(apps, applicants, strict=True)):
            chosen, step = [], 0
            while len(chosen) < per_application and step < experts:
                e = (index * per_application + step) % experts
                step += 1
                own = expert_paths[e]
                if own.startswith(path) or path.startswith(own):
                    continue  # a conflict of interest: the expert sits inside the ТО
                chosen.append(e)
            for e in chosen:
                assignments.append(Assignment(
                    application_id=application.pk, contest_id=contest.pk,
                    expert_id=users[e].pk,
                    assigned_by_id=organizer.pk, assigned_at=now, notified_at=now,
                    completed_at=now))
        bulk.insert(Assignment, assignments)
        bulk.insert_history(Assignment, assignments, user=organizer)

        leniency = [rng.choice([0.0, 0.25, 0.5]) for _ in range(experts)]
        expert_index = {u.pk: i for i, u in enumerate(users)}
        nomination_of = {a.pk: a.nomination_id for a in apps}
        marks = []
        for assignment in assignments:
            lenient = leniency[expert_index[assignment.expert_id]]
            for criterion in jury[nomination_of[assignment.application_id]]:
                share = min(1.0, rng.choice([0.0, 0.5, 0.5, 1.0, 1.0]) + lenient)
                points = criterion.points * share
                marks.append(Mark(assignment_id=assignment.pk, criterion_id=criterion.pk,
                                  points=points, updated_at=now,
                                  comment="" if share == 1.0 else rng.choice(COMMENTS)))
        bulk.insert(Mark, marks)
        bulk.insert_history(Mark, marks)

        disputes = []
        for application in rng.sample(apps, max(1, len(apps) // 200)):
            criterion = rng.choice(jury[application.nomination_id])
            accepted = rng.random() < 0.5
            disputes.append(Dispute(
                application_id=application.pk, criterion_id=criterion.pk,
                comment="Обложка и закреплённая запись есть: снимок экрана приложен.",
                points_before=criterion.points / 2,
                state=DisputeState.ACCEPTED if accepted else DisputeState.REJECTED,
                points_after=criterion.points if accepted else None,
                answer="Проверено." if accepted else "На снимке обложки нет.",
                answered_by_id=organizer.pk, answered_at=now, created_at=now))
        bulk.insert(Dispute, disputes)
    services.stage_set(contest, Stage.EVALUATION, scope=scope, user=organizer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"contest": contest.pk, "year": contest.year, "organizer": organizer.pk,
            "applications": len(apps), "nominations": {n.title: sum(
                1 for m, _ in applicants if m.pk == n.pk) for n in nominations},
            "experts": len(users), "assignments": len(assignments),
            "marks": len(marks),
            "disputes": len(disputes), "attachments": len(attachments),
            "seconds": time.perf_counter() - started}


def _prefills(contest, nominations, applicants) -> dict:
    """What services.prefill stores for each application (the registry's resources with their
    latest figures, the period's automatic criteria), computed for all applicants at once:
    services.prefill scores one organization per call."""
    from profinfo.contest.results import criterion_key
    from profinfo.evaluation.models import CriterionSource
    from profinfo.evaluation.scoring import score
    from profinfo.monitoring.models import LatestValue
    from profinfo.organizations.models import LEVEL_NAMES, Organization
    from profinfo.registry.models import Resource

    # Over every organization rather than `pk__in` 20,000 ids (SQLite's limit on parameters);
    # scores do not depend on who else is scored, only the ranks do, and prefill has none.
    taken = dt.datetime.now(dt.UTC).isoformat()
    kinds = dict(Resource._meta.get_field("kind").choices)
    resources: dict[int, list] = {}
    for pk, org_id, kind, title, url in Resource.objects.filter(
            organization__is_active=True, is_active=True).order_by(
            "organization_id", "kind", "title").values_list(
            "pk", "organization_id", "kind", "title", "url"):
        resources.setdefault(org_id, []).append(
            {"id": pk, "kind": kinds[kind], "kind_code": kind, "title": title, "url": url,
             "figures": {}})
    by_pk = {r["id"]: r for rows in resources.values() for r in rows}
    for resource_id, metric, value, value_date in LatestValue.objects.values_list(
            "resource_id", "metric", "value", "value_date"):
        if resource_id in by_pk:
            by_pk[resource_id]["figures"][metric] = (
                value if value is not None else value_date.isoformat() if value_date else None)
    scores = {s.organization_id: s for s in score(
        contest.methodology, Organization.objects.filter(is_active=True),
        contest.period_start, contest.period_end)}
    result = {}
    for nomination, (pk, _path, level, name, members) in applicants:
        codes = nomination.block_codes
        rows = [dict(r) for r in resources.get(pk, [])
                if not nomination.resource_kind or r["kind_code"] == nomination.resource_kind]
        for r in rows:
            del r["kind_code"]
        audit = [{"key": criterion_key(r.criterion), "title": r.criterion.title,
                  "met": r.outcome.met, "points": r.points, "evidence": r.outcome.evidence}
                 for r in scores[pk].results
                 if r.criterion.source == CriterionSource.AUTO
                 and (not codes or r.criterion.block.code in codes)]
        result[(nomination.pk, pk)] = {
            "organization": name, "level": LEVEL_NAMES.get(level, level), "members": members,
            "resources": rows, "criteria": audit, "taken": taken}
    return result
