"""How right the site auditor is: precision and recall per criterion on a labelled corpus.

Each corpus folder is one site (index.html and its inner pages) with labels.json; every
site is served on its own loopback address and audited exactly as a real one would be.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .collectors import site
from .criteria import CRITERIA
from .fetcher import Fetcher, FetchSettings
from .rendering import Renderer

CORPUS = Path(__file__).parent / "corpus"


class _QuietHandler(SimpleHTTPRequestHandler):
    # CMS addresses such as uCoz's /index/struktura/0-2 have no extension: they are pages
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, "": "text/html"}

    def log_message(self, *args):
        pass


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


# The split (issue 11): «tune» — the sites the rules were written and tuned on (the
# hand-written corpus and the generator's sites 01–12); «heldout» — sites the rules were
# never tuned on (the generator's sites 13–36 and the real-style sites, both written by
# helpers who did not read the rules). A site without a «part» label is a tuning site.
PARTS = {"tune": "настройка правил",
         "heldout": "отложенная часть (правила на ней не настраивались)"}


def known_misses(corpus: Path = CORPUS) -> set[tuple[str, str]]:
    """(site, criterion) the auditor is known to get wrong, each with its reason in
    known_misses.json: still counted as misses here, listed so a test can tell them from
    new ones."""
    listed = json.loads((corpus / "known_misses.json").read_text())
    return {(site, code) for site, codes in listed.items() if site != "_" for code in codes}


def site_part(folder: Path) -> str:
    return json.loads((folder / "labels.json").read_text()).get("part", "tune")


def corpus_sites(corpus: Path = CORPUS, part: str | None = None) -> list[Path]:
    """The labelled sites of the corpus, all or of one part of the split."""
    sites = sorted(p for p in corpus.iterdir() if (p / "labels.json").exists())
    return [p for p in sites if part is None or site_part(p) == part]


class CorpusServers:
    """Serve every corpus site on its own address 127.0.0.(20+n)."""

    def __init__(self, sites: list[Path]):
        self.servers = {}
        for index, folder in enumerate(sites):
            handler = functools.partial(_QuietHandler, directory=str(folder))
            self.servers[folder.name] = ThreadingHTTPServer((f"127.0.0.{20 + index}", 0),
                                                            handler)

    def __enter__(self) -> dict[str, str]:
        for server in self.servers.values():
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return {name: f"http://{s.server_address[0]}:{s.server_address[1]}/"
                for name, s in self.servers.items()}

    def __exit__(self, *exc):
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


EXTRAS = {  # facts measured besides the criteria: label key → (Russian name, audit → value)
    "metrica": ("счётчик Яндекс.Метрики", lambda a: a.metrica_id),
    "liveinternet": ("счётчик LiveInternet", lambda a: a.liveinternet),
    "cms": ("система управления сайтом", lambda a: a.cms),
    "script_only": ("страница только на JavaScript", lambda a: a.script_only),
    "last_publication": ("дата последней публикации",
                         lambda a: a.last_publication and a.last_publication.isoformat()),
    "publications_30d": ("публикаций за 30 дней", lambda a: a.publications_30d),
}
EXTRA_DEFAULTS = {"script_only": False}


@dataclass
class Agreement:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)


def measure_all(corpus: Path = CORPUS, part: str | None = None, *, render: bool = False
                ) -> tuple[dict[str, Score], dict[str, Agreement]]:
    """Criteria scores and, for the other measured facts, how often the auditor agrees.
    A label that only a browser can see (`needs_browser`: a viewport added by a script, a
    share block drawn by one) is scored only when the sites are rendered (`render`)."""
    sites = corpus_sites(corpus, part)
    scores = {code: Score() for code in CRITERIA}
    extras = {key: Agreement() for key in EXTRAS}
    with CorpusServers(sites) as urls:
        labels = {folder.name: json.loads((folder / "labels.json").read_text())
                  for folder in sites}
        audits = asyncio.run(_audit_all(urls, labels, render))
    for folder in sites:
        criteria = dict(labels[folder.name]["criteria"])
        for code in [] if render else labels[folder.name].get("needs_browser", []):
            criteria.pop(code, None)
        _score_criteria(scores, folder.name, criteria, audits[folder.name])
        for key, (_, read) in EXTRAS.items():
            wanted = labels[folder.name].get(key, EXTRA_DEFAULTS.get(key, ...))
            if wanted is ...:
                continue  # not labelled for this site
            got = read(audits[folder.name])
            extras[key].total += 1
            if got == wanted:
                extras[key].right += 1
            else:
                extras[key].misses.append(f"{folder.name}: {got!r} вместо {wanted!r}")
    labelled = {code: score for code, score in scores.items()
                if score.tp + score.fp + score.fn + score.tn}  # a criterion no site labels
    return labelled, extras


def _score_criteria(scores: dict[str, Score], name: str, labels: dict, audit) -> None:
    for code, score in scores.items():
        if code not in labels:
            continue  # not labelled for this site (desktop_layout needs a browser)
        got = audit.criteria.get(code)
        wanted = labels[code]
        if got is None or got.present is None:  # not checked is neither «да» nor «нет»
            if wanted:
                score.fn += 1
            else:
                score.fp += 1
            score.misses.append(f"{name}: не проверено")
            continue
        found = got.present
        if found and wanted:
            score.tp += 1
        elif found:
            score.fp += 1
            score.misses.append(f"{name}: найдено лишнее")
        elif wanted:
            score.fn += 1
            score.misses.append(f"{name}: не найдено")
        else:
            score.tn += 1


async def _audit_all(urls: dict[str, str], labels: dict[str, dict], render: bool = False):
    settings = FetchSettings(allow_private=True, backoff=0.01)

    def today(name):  # feed fixtures are dated: judge them on the day they were labelled
        return dt.date.fromisoformat(labels[name]["today"]) if "today" in labels[name] else None

    async with Fetcher(settings) as fetcher, Renderer("always" if render else "never") as renderer:
        results = await asyncio.gather(*(site.collect(url, fetcher, today=today(name),
                                                      renderer=renderer)
                                         for name, url in urls.items()))
    return dict(zip(urls, results, strict=True))


def browser_only_labels(corpus: Path = CORPUS, part: str | None = None) -> int:
    """How many labels of the part need a browser to be judged."""
    return sum(len(json.loads((folder / "labels.json").read_text()).get("needs_browser", []))
               for folder in corpus_sites(corpus, part))
