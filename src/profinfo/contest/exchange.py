"""The contest's data for an outside auditor: one JSON object (or one workbook) with everything
needed to recompute every total and place.

A frozen contest is exported as it was frozen: its results from the final snapshot, and the
applications, assignments, marks and disputes as their edit history had them at that moment, so
a mark changed later (even past the services) does not contradict the results. A contest not
yet frozen is exported live, with the standings computed now.

How to recompute (the `contest` object repeats it in words): a result's `total` is the sum of its
`criteria` points that are not null; each point is at most the criterion's `maximum` (its points
times its block's weight); `jury_total` is the sum over the criteria whose `source` is «jury»;
`completeness` is the share of the result's criteria that are not null. A jury criterion's points
are the mean of the experts' `jury_scores` times the block's weight (after normalization when
`normalize_jury`), or an accepted dispute's `points_after` times the weight. Places within a
nomination follow `tie_rule`, comparing values rounded to `precision` digits."""

from __future__ import annotations

import datetime as dt

from django.db.models import Model

from profinfo.organizations.models import Membership, Organization
from profinfo.tabular import Table, write_csv, write_xlsx

from .models import (
    Application,
    Assignment,
    Contest,
    Dispute,
    Mark,
    Snapshot,
)
from .results import (
    NORMALIZATION_TEXT,
    PRECISION,
    TIE_RULE_TEXT,
    contest_criteria,
    criterion_key,
    standings,
)
from .selectors import final_snapshot

RECOMPUTE_TEXT = (
    "Итог участника — сумма баллов его критериев (пустые — нет данных — не считаются); балл "
    "критерия не больше его максимума (баллы критерия × вес блока). Баллы жюри — сумма по "
    "критериям, которые оценивает жюри: среднее оценок экспертов × вес блока (или балл, "
    "установленный по принятому возражению, × вес блока). Полнота данных — доля критериев "
    "участника, по которым есть данные. Места в номинации — по правилу при равенстве баллов; "
    "значения сравниваются округлёнными до {precision} знаков после запятой.")


def rows_as_of(model: type[Model], at: dt.datetime | None, fields: list[str],
               **filters) -> list[dict]:
    """The model's rows matching `filters` as they stood at `at` (from their edit history;
    rows created or deleted later are left out), or as they are now when `at` is None."""
    if at is None:
        return list(model.objects.filter(**filters).order_by("pk").values(*fields))
    history = model.history.filter(history_date__lte=at, **filters).latest_of_each()
    return list(history.exclude(history_type="-").order_by("id").values(*fields))


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export(contest: Contest) -> dict:
    """Everything about the contest an auditor needs (see the module's text), as plain JSON
    values."""
    snapshot = final_snapshot(contest) if contest.is_frozen else None
    at = contest.frozen_at if snapshot is not None else None
    live_criteria = contest_criteria(contest)
    key_of = {c.pk: criterion_key(c) for c in live_criteria}
    if snapshot is not None:
        criteria = [_criterion_from_snapshot(row) for row in
                    snapshot.methodology.get("criteria", [])]
        results = _results_from_snapshot(snapshot)
    else:
        criteria = [{"key": criterion_key(c), "title": c.title, "block": c.block.title,
                     "block_code": c.block.code, "points": c.points,
                     "weight": c.block.weight, "maximum": c.points * c.block.weight,
                     "source": c.source} for c in live_criteria]
        results = _live_results(contest)
    names = {r["organization_id"]: r["organization_name"] for r in results}

    applications = rows_as_of(Application, at, ["id", "organization_id", "nomination_id",
                                                "state"], nomination__contest=contest)
    missing = {a["organization_id"] for a in applications} - set(names)
    names.update(Organization.objects.filter(pk__in=missing).values_list("pk", "name"))
    assignments = rows_as_of(Assignment, at, ["id", "expert_id", "application_id"],
                             application__nomination__contest=contest)
    expert_orgs: dict[int, list[int]] = {}
    for user_id, organization_id in Membership.objects.filter(
            user_id__in={a["expert_id"] for a in assignments}).order_by(
            "organization_id").values_list("user_id", "organization_id"):
        own = expert_orgs.setdefault(user_id, [])
        if organization_id not in own:
            own.append(organization_id)
    expert_of = {a["id"]: a["expert_id"] for a in assignments}
    application_of = {a["id"]: a["application_id"] for a in assignments}
    marks = rows_as_of(Mark, at, ["assignment_id", "criterion_id", "points", "comment"],
                       assignment__contest=contest)
    disputes = rows_as_of(Dispute, at, ["id", "application_id", "criterion_id", "state",
                                        "points_before", "points_after", "answer"],
                          application__nomination__contest=contest)
    return {
        "contest": {
            "year": contest.year, "title": contest.title, "stage": contest.stage,
            "stage_title": contest.get_stage_display(), "frozen": snapshot is not None,
            "frozen_at": _iso(contest.frozen_at), "is_example": contest.is_example,
            "period": [contest.period_start.isoformat(), contest.period_end.isoformat()],
            "methodology": ({k: snapshot.methodology.get(k) for k in ("year", "title")}
                            if snapshot is not None else
                            {"year": contest.methodology.year,
                             "title": contest.methodology.title}),
            "results_source": "final_snapshot" if snapshot is not None else "live",
            "snapshot_taken": _iso(snapshot.created_at) if snapshot is not None else None,
            "observations": snapshot.observations if snapshot is not None else None,
            "tie_rule": contest.tie_rule,
            "tie_rule_text": TIE_RULE_TEXT.get(contest.tie_rule, contest.tie_rule),
            "normalize_jury": contest.normalize_jury,
            "normalization_text": NORMALIZATION_TEXT if contest.normalize_jury else None,
            "disagreement_share": contest.disagreement_share,
            "precision": PRECISION,
            "how_to_recompute": RECOMPUTE_TEXT.format(precision=PRECISION),
        },
        "nominations": [
            {"id": n.pk, "title": n.title, "level": n.level or None,
             "members_from": n.members_from, "members_to": n.members_to,
             "resource_kind": n.resource_kind or None, "blocks": n.block_codes,
             "places": n.places}
            for n in contest.nominations.order_by("order", "pk")],
        "applications": [
            {"id": a["id"], "organization_id": a["organization_id"],
             "organization_name": names.get(a["organization_id"], ""),
             "nomination_id": a["nomination_id"], "state": a["state"]}
            for a in applications],
        "assignments": [
            {"id": a["id"], "expert_id": a["expert_id"],
             "expert_organization_ids": expert_orgs.get(a["expert_id"], []),
             "application_id": a["application_id"]}
            for a in assignments],
        "jury_scores": [
            {"expert_id": expert_of.get(m["assignment_id"]),
             "application_id": application_of.get(m["assignment_id"]),
             "criterion": key_of.get(m["criterion_id"], str(m["criterion_id"])),
             "points": m["points"], "comment": m["comment"]}
            for m in marks if m["assignment_id"] in expert_of],
        "disputes": [
            {"id": d["id"], "application_id": d["application_id"],
             "criterion": key_of.get(d["criterion_id"], str(d["criterion_id"])),
             "state": d["state"], "points_before": d["points_before"],
             "points_after": d["points_after"], "answer": d["answer"]}
            for d in disputes],
        "results": results,
        "criteria": criteria,
    }


def _criterion_from_snapshot(row: dict) -> dict:
    points, weight = row.get("points"), row.get("weight", 1.0)
    return {"key": row["key"], "title": row.get("title", ""), "block": row.get("block", ""),
            "block_code": row["key"].split("/", 1)[0], "points": points, "weight": weight,
            "maximum": points * weight if points is not None and weight is not None
            else None, "source": row.get("source", "")}


def _results_from_snapshot(snapshot: Snapshot) -> list[dict]:
    return [{"nomination_id": r.nomination_pk, "nomination_title": r.nomination_title,
             "application_id": r.application_pk, "organization_id": r.organization_pk,
             "organization_name": r.organization_name, "total": r.total,
             "maximum": r.maximum, "jury_total": r.jury_total,
             "completeness": r.completeness, "place": r.place, "criteria": r.criteria,
             "blocks": r.blocks}
            for r in snapshot.results.order_by("nomination_pk", "place",
                                               "organization_name", "pk")]


def _live_results(contest: Contest) -> list[dict]:
    by_nomination = standings(contest)
    titles = dict(contest.nominations.values_list("pk", "title"))
    ids = {s.organization_id for rows in by_nomination.values() for s in rows}
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [{"nomination_id": s.nomination_id, "nomination_title": titles.get(s.nomination_id),
             "application_id": s.application_id, "organization_id": s.organization_id,
             "organization_name": names.get(s.organization_id, ""), "total": s.total,
             "maximum": s.maximum, "jury_total": s.jury_total,
             "completeness": s.completeness, "place": s.place, "criteria": s.criteria,
             "blocks": s.blocks}
            for nomination_id in sorted(by_nomination)
            for s in by_nomination[nomination_id]]


# --- the workbook -----------------------------------------------------------------------------

CONTEST_LABELS = {
    "year": "год смотра", "title": "название", "stage": "этап (код)",
    "stage_title": "этап", "frozen": "итоги зафиксированы", "frozen_at": "когда зафиксированы",
    "is_example": "пример (демонстрационные данные)", "period": "период оценки",
    "methodology": "методика", "results_source": "откуда результаты",
    "snapshot_taken": "когда сняты результаты", "observations": "использованные наблюдения",
    "tie_rule": "правило при равенстве (код)", "tie_rule_text": "правило при равенстве баллов",
    "normalize_jury": "нормализация оценок экспертов",
    "normalization_text": "как нормализуются оценки", "disagreement_share":
    "порог расхождения экспертов", "precision": "знаков после запятой при сравнении",
    "how_to_recompute": "как пересчитать",
}
SHEETS = {  # key → (sheet title, [(field, column header)])
    "nominations": ("Номинации", [
        ("id", "№ номинации"), ("title", "номинация"), ("level", "уровень"),
        ("members_from", "членов от"), ("members_to", "членов до"),
        ("resource_kind", "вид ресурса"), ("blocks", "блоки"), ("places", "призовых мест")]),
    "applications": ("Заявки", [
        ("id", "№ заявки"), ("organization_id", "№ организации"),
        ("organization_name", "организация"), ("nomination_id", "№ номинации"),
        ("state", "состояние")]),
    "assignments": ("Назначения", [
        ("id", "№ назначения"), ("expert_id", "№ эксперта"),
        ("expert_organization_ids", "организации эксперта (№)"),
        ("application_id", "№ заявки")]),
    "jury_scores": ("Оценки жюри", [
        ("expert_id", "№ эксперта"), ("application_id", "№ заявки"),
        ("criterion", "критерий"), ("points", "баллы"), ("comment", "комментарий")]),
    "disputes": ("Возражения", [
        ("id", "№ возражения"), ("application_id", "№ заявки"), ("criterion", "критерий"),
        ("state", "решение"), ("points_before", "баллы до"),
        ("points_after", "баллы после (без веса блока)"), ("answer", "ответ")]),
    "results": ("Результаты", [
        ("nomination_id", "№ номинации"), ("nomination_title", "номинация"),
        ("application_id", "№ заявки"), ("organization_id", "№ организации"),
        ("organization_name", "организация"), ("total", "итого"), ("maximum", "максимум"),
        ("jury_total", "в т. ч. жюри"), ("completeness", "полнота данных"),
        ("place", "место")]),
    "criteria": ("Критерии", [
        ("key", "критерий"), ("title", "название"), ("block", "блок"),
        ("block_code", "код блока"), ("points", "баллы"), ("weight", "вес блока"),
        ("maximum", "максимум"), ("source", "как оценивается")]),
}


def _cell(value):
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def tables(data: dict) -> dict[str, Table]:
    """The export's keys as tables: the contest's fields, then one table per list; the
    results table has a column of points per criterion."""
    found = {"contest": Table("Смотр", ["ключ", "что это", "значение"],
                              [[key, CONTEST_LABELS.get(key, key), _cell(value)]
                               for key, value in data["contest"].items()])}
    for key, (title, columns) in SHEETS.items():
        headers = [header for _, header in columns]
        rows = [[_cell(item.get(field)) for field, _ in columns] for item in data[key]]
        if key == "results":
            keys = [c["key"] for c in data["criteria"]]
            headers += [f"баллы: {k}" for k in keys]
            rows = [row + [item["criteria"].get(k) for k in keys]
                    for row, item in zip(rows, data[key], strict=True)]
        found[key] = Table(title, headers, rows)
    return found


def export_xlsx(contest: Contest) -> bytes:
    """The export as a workbook, a sheet per key."""
    return write_xlsx(list(tables(export(contest)).values()))


def export_csv(contest: Contest) -> bytes:
    """The results table alone, for a spreadsheet (the whole export is JSON or XLSX)."""
    return write_csv(tables(export(contest))["results"])

