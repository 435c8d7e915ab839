"""The contest's export for an outside auditor (totals and places recompute from it), the
`profinfo contest` command, and the web downloads with their rights."""

import io
import json
import statistics
import zipfile
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from profinfo.contest import documents, exchange, services
from profinfo.contest.models import Contest, Mark, Stage
from profinfo.contest.results import PRECISION
from tests.contest.conftest import PERM, scope
from tests.contest.test_documents import freeze
from tests.factories import EDITOR, OBSERVER, org, user_with

KEYS = {"contest", "nominations", "applications", "assignments", "jury_scores", "disputes",
        "results", "criteria"}


@pytest.fixture
def frozen(cycle, contest, organizer):
    return freeze(contest, organizer, cycle)


def recomputed_places(results: list[dict], rule: str) -> dict[int, int]:
    """Places within each nomination by the stated tie rule, as an auditor would compute them."""
    def key(r):
        total = -round(r["total"], PRECISION)
        if rule == "shared":
            return (total,)
        return (total, -round(r["jury_total"], PRECISION),
                -round(r["completeness"], PRECISION))

    places = {}
    by_nomination = defaultdict(list)
    for r in results:
        by_nomination[r["nomination_id"]].append(r)
    for rows in by_nomination.values():
        rows.sort(key=key)
        for r in rows:
            places[r["application_id"]] = 1 + sum(1 for other in rows if key(other) < key(r))
    return places


def audit(data: dict) -> None:
    """Everything an outside auditor can check from the export alone."""
    criteria = {c["key"]: c for c in data["criteria"]}
    jury = defaultdict(list)
    for score in data["jury_scores"]:
        jury[(score["application_id"], score["criterion"])].append(score["points"])
    accepted = {(d["application_id"], d["criterion"]): d["points_after"]
                for d in data["disputes"] if d["state"] == "accepted"}
    assert data["results"]
    for result in data["results"]:
        known = {k: v for k, v in result["criteria"].items() if v is not None}
        assert result["total"] == pytest.approx(sum(known.values()))
        assert result["jury_total"] == pytest.approx(
            sum(v for k, v in known.items() if criteria[k]["source"] == "jury"))
        assert result["completeness"] == pytest.approx(len(known) / len(result["criteria"]))
        assert result["maximum"] == pytest.approx(
            sum(criteria[k]["maximum"] for k in result["criteria"]))
        for key, points in known.items():
            assert 0 <= points <= criteria[key]["maximum"] + 1e-9
            if criteria[key]["source"] != "jury" or data["contest"]["normalize_jury"]:
                continue
            weight = criteria[key]["weight"]
            if (result["application_id"], key) in accepted:
                assert points == pytest.approx(accepted[(result["application_id"], key)]
                                               * weight)
            else:
                marks = jury[(result["application_id"], key)]
                assert points == pytest.approx(statistics.fmean(marks) * weight)
    places = recomputed_places(data["results"], data["contest"]["tie_rule"])
    assert {r["application_id"]: r["place"] for r in data["results"]} == places


def test_export_of_a_frozen_contest_recomputes(frozen):
    data = json.loads(json.dumps(exchange.export(frozen), ensure_ascii=False))  # round trip
    assert set(data) == KEYS
    contest = data["contest"]
    assert contest["year"] == 2021 and contest["frozen"] is True and contest["frozen_at"]
    assert contest["results_source"] == "final_snapshot"
    assert "жюри" in contest["tie_rule_text"] and contest["normalize_jury"] is False
    assert contest["disagreement_share"] == pytest.approx(0.3)
    assert {n["title"] for n in data["nominations"]} == {
        "Лучшая территориальная организация", "Лучший сайт"}
    assert all(set(a) >= {"id", "organization_id", "organization_name", "nomination_id",
                          "state"} for a in data["applications"])
    experts = {a["expert_id"]: a["expert_organization_ids"] for a in data["assignments"]}
    assert len(experts) == 2 and all(orgs == [org("Московская областная").pk]
                                     for orgs in experts.values())
    assert all("/" in s["criterion"] for s in data["jury_scores"])
    assert [d["state"] for d in data["disputes"]] == ["accepted"]
    audit(data)


def test_export_keeps_the_marks_as_they_were_frozen(frozen):
    before = exchange.export(frozen)
    Mark.objects.update(points=0)  # past the services: no history written
    for mark in Mark.objects.all()[:1]:
        mark.points = 0
        mark.save()  # through the model: history says it changed after the freeze
    after = exchange.export(frozen)
    assert after["jury_scores"] == before["jury_scores"]
    assert after["results"] == before["results"]
    audit(after)


def test_live_export_before_freezing(cycle, contest):
    nomination, (perm, udm), (first, second) = cycle
    data = exchange.export(contest)
    assert data["contest"]["frozen"] is False
    assert data["contest"]["results_source"] == "live"
    assert {r["application_id"] for r in data["results"]} == {perm.pk, udm.pk}
    audit(data)


def test_export_xlsx_has_a_sheet_per_key(frozen):
    workbook = load_workbook(io.BytesIO(exchange.export_xlsx(frozen)), read_only=True)
    assert workbook.sheetnames == ["Смотр", "Номинации", "Заявки", "Назначения",
                                   "Оценки жюри", "Возражения", "Результаты", "Критерии"]
    results = list(workbook["Результаты"].iter_rows(values_only=True))
    header = results[0]
    total = header.index("итого")
    points = [i for i, h in enumerate(header) if str(h).startswith("баллы: ")]
    assert len(results) == 1 + len(exchange.export(frozen)["results"])
    for row in results[1:]:
        assert row[total] == pytest.approx(sum(row[i] or 0 for i in points))


# --- the command ------------------------------------------------------------------------------

def test_command_writes_the_files(frozen, tmp_path, capsys):
    call_command("contest", "export", "--year", "2021", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == KEYS

    call_command("contest", "export", "--year", "2021", "--format", "xlsx", "-o",
                 str(tmp_path / "contest.xlsx"))
    assert (tmp_path / "contest.xlsx").read_bytes()[:2] == b"PK"

    call_command("contest", "protocol", "--year", "2021", "-o", str(tmp_path / "p.docx"))
    text = "\n".join(p.text for p in Document(str(tmp_path / "p.docx")).paragraphs)
    assert documents.PROTOCOL_TITLE in text

    call_command("contest", "diplomas", "--year", "2021", "--format", "docx", "-o",
                 str(tmp_path / "d.zip"))
    assert zipfile.ZipFile(tmp_path / "d.zip").namelist()


def test_command_errors_in_russian(contest, tmp_path):
    with pytest.raises(CommandError, match="Смотра 1999 года нет"):
        call_command("contest", "protocol", "--year", "1999", "-o", str(tmp_path / "p.docx"))
    with pytest.raises(CommandError, match="не зафиксированы"):
        call_command("contest", "protocol", "--year", "2021", "-o", str(tmp_path / "p.docx"))
    with pytest.raises(CommandError, match="не зафиксированы"):
        call_command("contest", "diplomas", "--year", "2021", "--format", "pdf", "-o",
                     str(tmp_path / "d.zip"))
    with pytest.raises(CommandError, match="-o"):
        call_command("contest", "export", "--year", "2021", "--format", "xlsx")
    assert not list(tmp_path.iterdir())


def test_command_advances_by_the_dates(contest, capsys):
    Contest.objects.filter(pk=contest.pk).update(advance_by_dates=True)
    call_command("contest", "advance")
    out = capsys.readouterr().out
    assert "2021" in out and "приём заявок" in out
    contest.refresh_from_db()
    assert contest.stage == Stage.APPLICATIONS
    call_command("contest", "advance")
    assert "Ни один смотр" in capsys.readouterr().out


# --- the web ----------------------------------------------------------------------------------

def urls(contest) -> dict[str, str]:
    winner = documents.winners(contest)[0]
    return {
        "protocol": reverse("contest-protocol", args=[contest.year]),
        "diplomas": reverse("contest-diplomas", args=[contest.year]) + "?format=docx",
        "diploma": reverse("contest-diploma", args=[contest.year, winner.pk, "docx"]),
        "export": reverse("contest-export", args=[contest.year, "json"]),
    }


def test_downloads_before_and_after_publication(frozen, organizer, client):
    addresses = urls(frozen)
    for name, url in addresses.items():
        assert client.get(url).status_code in (302, 403, 404), name
    assert client.get(addresses["protocol"]).status_code == 404
    assert client.get(addresses["diploma"]).status_code == 404

    client.force_login(organizer)
    for name, url in addresses.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment")
    assert json.loads(client.get(addresses["export"]).content)["contest"]["year"] == 2021
    xlsx = client.get(reverse("contest-export", args=[2021, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.logout()

    services.stage_set(frozen, Stage.PUBLISHED, scope=scope(organizer), user=organizer)
    for name in ("protocol", "diplomas", "diploma"):
        response = client.get(addresses[name])
        assert response.status_code == 200, name
    assert client.get(addresses["export"]).status_code in (302, 403)
    assert client.get(reverse("contest-protocol", args=[1999])).status_code == 404


def test_export_is_for_organizers_only(frozen, organizer, client):
    services.stage_set(frozen, Stage.PUBLISHED, scope=scope(organizer), user=organizer)
    observer = user_with(OBSERVER, "РОСПРОФПРОМ", username="chair")
    client.force_login(observer)
    assert client.get(reverse("contest-export", args=[2021, "json"])).status_code == 403
    assert client.get(reverse("contest-protocol", args=[2021])).status_code == 200


def test_one_diploma_for_its_own_organization_before_publication(frozen, client):
    winners = {w.organization_pk: w for w in documents.winners(frozen)}
    perm = winners[org(PERM).pk]
    other = next(w for pk, w in winners.items() if pk != org(PERM).pk)
    client.force_login(user_with(EDITOR, PERM, username="perm-reader"))
    own = client.get(reverse("contest-diploma", args=[2021, perm.pk, "pdf"]))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert own["Content-Type"] == "application/pdf"
    assert client.get(reverse("contest-diploma", args=[2021, other.pk, "docx"])
                      ).status_code in (403, 404)
    assert client.get(reverse("contest-diplomas", args=[2021])).status_code == 404
    assert client.get(reverse("contest-protocol", args=[2021])).status_code == 404
    assert client.get(reverse("contest-diploma", args=[2021, perm.pk, "txt"])
                      ).status_code == 404


def test_not_frozen_is_404_even_for_organizers(cycle, contest, organizer, client):
    client.force_login(organizer)
    response = client.get(reverse("contest-protocol", args=[2021]))
    assert response.status_code == 404
    assert client.get(reverse("contest-diplomas", args=[2021])).status_code == 404
    assert client.get(reverse("contest-export", args=[2021, "json"])).status_code == 200
