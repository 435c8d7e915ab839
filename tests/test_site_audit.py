"""The site auditor on saved union sites, each served on its own loopback address."""

import asyncio
import datetime as dt
import json

import pytest

from profinfo.monitoring.accuracy import CORPUS, CorpusServers, corpus_sites, measure
from profinfo.monitoring.collectors import site
from profinfo.monitoring.collectors.html import parse_page
from profinfo.monitoring.collectors.site_criteria import CRITERIA, decide_all
from profinfo.monitoring.fetcher import Fetcher, FetchSettings

FIXTURES = CORPUS
SITES = [p.name for p in corpus_sites()]


@pytest.fixture(scope="module")
def served():
    with CorpusServers(corpus_sites()) as urls:
        yield urls


def audit(url: str, today: dt.date | None = None):
    async def run():
        settings = FetchSettings(allow_private=True, backoff=0.01)
        async with Fetcher(settings) as fetcher:
            return await site.collect(url, fetcher, today=today)

    return asyncio.run(run())


@pytest.mark.parametrize("name", SITES)
def test_labelled_site(served, name):
    labels = json.loads((FIXTURES / name / "labels.json").read_text())
    today = dt.date.fromisoformat(labels["today"]) if "today" in labels else None
    result = audit(served[name], today)
    assert result.error is None, result.error
    got = {code: result.criteria[code].present for code in CRITERIA}
    assert got == labels["criteria"], {c: (got[c], labels["criteria"][c]) for c in got
                                       if got[c] != labels["criteria"][c]}
    for code, finding in result.criteria.items():
        assert (finding.evidence is not None) == finding.present, code
        if finding.present:
            assert finding.evidence.startswith("http://127.0.0."), finding.evidence
    assert result.metrica_id == labels["metrica"]
    assert result.liveinternet == labels["liveinternet"]
    assert result.cms == labels["cms"]
    assert result.script_only == labels.get("script_only", False)
    if "last_publication" in labels:
        assert result.last_publication.isoformat() == labels["last_publication"]
        assert result.publications_30d == labels["publications_30d"]


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


def test_accuracy_report_counts_every_label():
    scores = measure()
    for code, score in scores.items():
        assert score.tp + score.fp + score.fn + score.tn == len(SITES), code
        assert score.precision == 1.0 and score.recall == 1.0, (code, score.misses)
