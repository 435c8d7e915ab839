"""The site auditor on saved union sites, each served on its own loopback address."""

import asyncio
import datetime as dt
import json

import pytest

from profinfo.monitoring.accuracy import (
    CORPUS,
    CorpusServers,
    corpus_sites,
    known_misses,
    measure_all,
)
from profinfo.monitoring.collectors import site
from profinfo.monitoring.collectors.html import parse_page
from profinfo.monitoring.collectors.site_criteria import CRITERIA, decide_all
from profinfo.monitoring.fetcher import Fetcher, FetchSettings

FIXTURES = CORPUS
SITES = [p.name for p in corpus_sites()]
TUNING_SITES = [p.name for p in corpus_sites(part="tune")]
HELD_OUT_SITES = [p.name for p in corpus_sites(part="heldout")]
KNOWN_MISSES = known_misses()  # (site, criterion), each with its reason in the corpus
# On the sites the rules never saw (the goal, 0.97 per criterion, is not reached yet):
HELD_OUT_FLOOR = 0.88  # per criterion, precision and recall (round 5: 0.89 the lowest)
HELD_OUT_OVERALL = 0.95  # all labels together (round 5: 0.958)


@pytest.fixture(scope="module")
def served():
    with CorpusServers(corpus_sites()) as urls:
        yield urls


def audit(url: str, today: dt.date | None = None, period=None):
    async def run():
        settings = FetchSettings(allow_private=True, backoff=0.01)
        async with Fetcher(settings) as fetcher:
            return await site.collect(url, fetcher, today=today, period=period)

    return asyncio.run(run())


@pytest.mark.parametrize("name", TUNING_SITES)
def test_labelled_site(served, name):
    labels = json.loads((FIXTURES / name / "labels.json").read_text())
    today = dt.date.fromisoformat(labels["today"]) if "today" in labels else None
    period = tuple(map(dt.date.fromisoformat, labels["period"])) if "period" in labels else None
    result = audit(served[name], today, period)
    assert result.error is None, result.error
    # a label the auditor is known to miss, with the reason, is counted as a miss by
    # audit_accuracy and left out here; the labels predate desktop_layout
    wanted = {code: value for code, value in labels["criteria"].items()
              if (name, code) not in KNOWN_MISSES
              and code not in labels.get("needs_browser", [])}  # seen only when rendered
    got = {code: result.criteria[code].present for code in wanted}
    assert result.criteria["desktop_layout"].present is None  # no browser: not «нет»
    assert got == wanted, {c: (got[c], wanted[c]) for c in got if got[c] != wanted[c]}
    for code, finding in result.criteria.items():
        assert (finding.evidence is not None) == bool(finding.present), code
        if finding.present:
            assert finding.evidence.startswith("http://127.0.0."), finding.evidence
    assert result.metrica_id == labels["metrica"]
    assert result.liveinternet == labels["liveinternet"]
    assert result.cms == labels["cms"]
    assert result.script_only == labels.get("script_only", False)
    if "last_publication" in labels:
        assert result.last_publication.isoformat() == labels["last_publication"]
        assert result.publications_30d == labels["publications_30d"]
    if period:
        assert result.publications_in_period == labels["publications_in_period"]


def test_windows_1251_without_declaration_is_read(served):
    result = audit(served["table_cp1251"])
    assert result.status == 200 and result.error is None


def test_inner_pages_are_chosen_from_the_menu(served):
    result = audit(served["wp_territorial"])
    assert {p.rsplit("/", 2)[-2] for p in result.pages[1:]} >= {
        "rukovodstvo", "documents", "ppo", "profaktiv", "vopros"}


def test_text_in_comments_and_scripts_is_not_visible():
    page = parse_page("<html><body><!-- Задать вопрос --><script>'Новости ФНПР'</script>"
                      "<p>Видимый текст</p></body></html>", "http://x.ru/")
    assert page.text == "Видимый текст"
    assert not decide_all([page])["ask_question"].present


def test_viewport_without_width_is_not_mobile():
    page = parse_page('<html><head><meta name="viewport" content="initial-scale=1">'
                      "</head><body></body></html>", "http://x.ru/")
    assert not decide_all([page])["mobile_layout"].present


def test_broken_html_does_not_break_the_parser():
    for html in ["", "<<<>>>", "<html><body><a href='http://[bad'>x</a>", "\x00\x01binary",
                 "<table><tr><td>" * 5000]:
        page = parse_page(html, "http://x.ru/")
        assert decide_all([page])


@pytest.mark.slow  # a separate process
def test_profinfo_check_json_contract(served):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PROFINFO_ALLOW_PRIVATE_ADDRESSES="1",
               DJANGO_SETTINGS_MODULE="tests.settings")
    result = subprocess.run([sys.executable, "-m", "profinfo.cli", "check",
                             served["wp_territorial"], "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "site" and data["ok"] is True and data["error"] is None
    assert set(data["criteria"]) == set(CRITERIA)
    assert data["criteria"]["fnpr_link"]["present"] is True
    assert data["counters"] == {"yandex_metrica": "69807571", "liveinternet": False}
    assert data["status"] == 200 and data["https"] is False
    assert data["feeds"] and data["last_publication"] == "2024-05-12"
    dt.datetime.fromisoformat(data["checked_at"])

    refused = subprocess.run([sys.executable, "-m", "profinfo.cli", "check",
                              served["wp_territorial"], "--json"], capture_output=True,
                             text=True, env=dict(env, PROFINFO_ALLOW_PRIVATE_ADDRESSES="0"),
                             timeout=120)
    assert refused.returncode == 0
    assert json.loads(refused.stdout)["error"]["code"] == "private_address"

    bad = subprocess.run([sys.executable, "-m", "profinfo.cli", "check", "javascript:1",
                          "--json"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode != 0 and "http" in bad.stderr


@pytest.mark.slow  # a separate process
def test_profinfo_check_counts_publications_in_a_period(served):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PROFINFO_ALLOW_PRIVATE_ADDRESSES="1",
               DJANGO_SETTINGS_MODULE="tests.settings")
    command = [sys.executable, "-m", "profinfo.cli", "check", served["atom_feed_news"]]
    result = subprocess.run([*command, "--json", "--from", "2024-07-01", "--to", "2024-08-31"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["period"] == {"from": "2024-07-01", "to": "2024-08-31",
                                                   "publications": 2}
    text = subprocess.run([*command, "--from", "2024-09-01"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert "Публикаций с 2024-09-01 по" in text.stdout and ": 3" in text.stdout
    reversed_period = subprocess.run([*command, "--from", "2024-09-01", "--to", "2024-08-01"],
                                     capture_output=True, text=True, env=env, timeout=60)
    assert reversed_period.returncode != 0 and "позже" in reversed_period.stderr
    not_a_date = subprocess.run([*command, "--from", "31.08.2024"], capture_output=True,
                                text=True, env=env, timeout=60)
    assert not_a_date.returncode != 0 and "не дата" in not_a_date.stderr


def browser_only(part: str, code: str) -> int:
    """Sites of the part whose label of `code` only a browser can see (left unscored)."""
    return sum(code in json.loads((site / "labels.json").read_text()).get("needs_browser", [])
               for site in corpus_sites(part=part))


def test_the_corpus_is_split_and_large_enough():
    assert len(SITES) >= 45
    assert len(HELD_OUT_SITES) >= 24 and set(HELD_OUT_SITES).isdisjoint(TUNING_SITES)


def test_accuracy_on_the_tuning_part_counts_every_label():
    scores, extras = measure_all(part="tune")
    assert all(agreement.total and not agreement.misses for agreement in extras.values())
    for code, score in scores.items():
        assert score.tp + score.fp + score.fn + score.tn == len(TUNING_SITES) - browser_only(
            "tune", code), code
        unexplained = [miss for miss in score.misses
                       if (miss.split(":", 1)[0], code) not in KNOWN_MISSES]
        assert not unexplained, (code, unexplained)


def test_accuracy_on_the_held_out_part():
    """The sites no rule was tuned on (round 5: gen_109–132 and real_43–52). The goal is
    0.97 per criterion both ways; measured once on this part: 15 misses of 355 labels
    (0.96), every criterion ≥ 0.89 — not met yet (see the corpus README). This guards
    what was reached, and fails if a change makes it worse."""
    scores, _ = measure_all(part="heldout")
    right = total = 0
    for code, score in scores.items():
        assert score.tp + score.fp + score.fn + score.tn == len(HELD_OUT_SITES) - browser_only(
            "heldout", code), code
        assert score.tp and score.tn, (code, "both answers must occur in the held-out part")
        assert score.precision >= HELD_OUT_FLOOR and score.recall >= HELD_OUT_FLOOR, (
            code, score.precision, score.recall, score.misses)
        right += score.tp + score.tn
        total += score.tp + score.fp + score.fn + score.tn
    assert right / total >= HELD_OUT_OVERALL, (right, total)


def test_publications_between_counts_inclusive_and_knows_when_nothing_is_known():
    days = [dt.date(2024, 3, 31), dt.date(2024, 3, 1), dt.date(2024, 2, 29)]
    assert site.publications_between(days, dt.date(2024, 3, 1), dt.date(2024, 3, 31)) == 2
    assert site.publications_between(days, dt.date(2024, 4, 1), dt.date(2024, 4, 30)) == 0
    assert site.publications_between([], dt.date(2024, 3, 1), dt.date(2024, 3, 31)) is None


def test_future_dates_in_a_feed_are_not_publications():
    stamps = [dt.datetime(2030, 1, 1, tzinfo=dt.UTC), dt.datetime(2024, 5, 1, tzinfo=dt.UTC)]
    assert site.publication_days(stamps, dt.date(2024, 5, 20)) == [dt.date(2024, 5, 1)]
