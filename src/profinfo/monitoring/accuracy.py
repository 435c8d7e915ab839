"""How right the site auditor is: precision and recall per criterion on a labelled corpus.

Each corpus folder is one site (index.html and its inner pages) with labels.json; every
site is served on its own loopback address and audited exactly as a real one would be.
"""

from __future__ import annotations

import asyncio
import functools
import json
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .collectors import site
from .collectors.site_criteria import CRITERIA
from .fetcher import Fetcher, FetchSettings

CORPUS = Path(__file__).parent / "corpus"


class _QuietHandler(SimpleHTTPRequestHandler):
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


def corpus_sites(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if (p / "labels.json").exists())


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


def measure(corpus: Path = CORPUS) -> dict[str, Score]:
    sites = corpus_sites(corpus)
    scores = {code: Score() for code in CRITERIA}
    with CorpusServers(sites) as urls:
        audits = asyncio.run(_audit_all(urls))
    for folder in sites:
        labels = json.loads((folder / "labels.json").read_text())["criteria"]
        audit = audits[folder.name]
        for code, score in scores.items():
            got = audit.criteria.get(code)
            found = bool(got and got.present)
            wanted = labels[code]
            if found and wanted:
                score.tp += 1
            elif found:
                score.fp += 1
                score.misses.append(f"{folder.name}: найдено лишнее")
            elif wanted:
                score.fn += 1
                score.misses.append(f"{folder.name}: не найдено")
            else:
                score.tn += 1
    return scores


async def _audit_all(urls: dict[str, str]):
    settings = FetchSettings(allow_private=True, backoff=0.01)
    async with Fetcher(settings) as fetcher:
        results = await asyncio.gather(*(site.collect(url, fetcher) for url in urls.values()))
    return dict(zip(urls, results, strict=True))
