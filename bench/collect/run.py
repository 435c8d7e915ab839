"""Benchmark of a full audit run over a local farm of union sites.

A farm of N sites (bench/collect/farm.py: each site on its own address in 127.0.0.0/8, the
auditor's corpus pages, 100–300 ms injected latency, 5 % faulty sites) is audited by
`profinfo collect`; the farm logs every request. The same requests are then made by
  (a) a plain sequential requests + BeautifulSoup script (on a sample of sites, scaled up:
      a sequential script's time is the sum of its sites' times),
  (b) a Scrapy spider at the same concurrency and per-host limit,
and compared with (c) the limit: the time the requests occupy a connection (the injected
latency; the client's 20 s time bound for a request that is never answered) ÷ concurrency.
A second farm of `--memory-sites` sites measures the peak memory of the run. A third, where
`--render-share` of the sites (a tenth) are built by JavaScript, measures what rendering
costs: the run with PROFINFO_RENDER=auto (those sites rendered in Chromium) against the same
run with PROFINFO_RENDER=never (goal ≤ 1.5×).

    python -m bench.collect.run                       # 1,000 sites, memory on 10,000
    python -m bench.collect.run --sites 200 --memory-sites 0   # a quick smoke run
    python -m bench.collect.run --only-rendering      # the rendering figure alone

Everything talks only to 127.0.0.0/8 and stops by itself (`--time-limit`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
PORT = 18180
TIMEOUT_BOUND = 10.0  # how long a client waits for a silent server (FetchSettings.read_timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--sequential-sample", type=int, default=30)
    parser.add_argument("--memory-sites", type=int, default=10_000)
    parser.add_argument("--memory-concurrency", type=int, default=200)
    parser.add_argument("--render-share", type=float, default=0.1,
                        help="share of sites built by JavaScript in the rendering farm (0: none)")
    parser.add_argument("--only-rendering", action="store_true",
                        help="measure only what rendering costs")
    parser.add_argument("--time-limit", type=float, default=1500)
    args = parser.parse_args()
    deadline = time.monotonic() + args.time_limit
    results = {}
    with tempfile.TemporaryDirectory(prefix="profinfo-bench-") as data_dir:
        if args.render_share:
            results["rendering"] = run_rendering(Path(data_dir) / "render", args, deadline)
        if args.only_rendering:
            report_rendering(results["rendering"], args)
            return
        with Farm(args.sites, deadline) as farm:
            env = prepare(Path(data_dir) / "farm", args.sites, deadline)
            farm.reset()
            results["first"] = run_collect(env, args.concurrency, deadline)
            farm.reset()  # the next run knows which sites were slow: the steady state
            results["profinfo"] = run_collect(env, args.concurrency, deadline)
            log = farm.stats()
            urls = urls_by_site(log, farm)
            results["requests"] = sum(len(u) for u in urls.values())
            results["limit"] = occupancy(log, farm) / args.concurrency
            results["scrapy"] = run_scrapy(urls, args.concurrency, deadline)
            results["sequential"] = run_sequential(urls, args.sequential_sample, deadline)
        if args.memory_sites:
            with Farm(args.memory_sites, deadline):
                env = prepare(Path(data_dir) / "memory", args.memory_sites, deadline)
                results["memory"] = run_collect(env, args.memory_concurrency, deadline)
    report(results, args)


# --- the farm ------------------------------------------------------------------------------

class Farm:
    def __init__(self, sites: int, deadline: float, js_share: float = 0.0):
        self.sites = sites
        lifetime = max(int(deadline - time.monotonic()), 60)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.collect.farm", "--sites", str(sites), "--port",
             str(PORT), "--lifetime", str(lifetime), "--js-share", str(js_share)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True)

    def __enter__(self) -> Farm:
        line = self.process.stdout.readline()
        if not line.startswith("ready"):
            raise SystemExit("the farm did not start")
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)

    def _get(self, path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.2:{PORT}{path}", timeout=120) as r:
            return json.load(r)

    def reset(self) -> None:
        self._get("/reset")

    def stats(self) -> dict:
        return self._get("/stats")

    @staticmethod
    def url(index: int) -> str:
        from bench.collect.farm import site_address

        return f"http://{site_address(index)}:{PORT}"


# --- ПрофИнфо ------------------------------------------------------------------------------

def prepare(data_dir: Path, sites: int, deadline: float) -> dict:
    env = {**os.environ, "PROFINFO_DATA_DIR": str(data_dir), "DATABASE_URL": "",
           "DJANGO_SETTINGS_MODULE": "profinfo.settings",
           "PROFINFO_ALLOW_PRIVATE_ADDRESSES": "1"}
    subprocess.run([sys.executable, "-m", "profinfo.cli", "migrate", "-v0"], env=env,
                   cwd=ROOT, check=True, timeout=max(deadline - time.monotonic(), 1))
    script = textwrap.dedent(f"""
        import django
        django.setup()
        from bench.collect.farm import site_address
        from profinfo.organizations.models import Organization
        from profinfo.registry.models import Resource
        from profinfo.registry.normalize import normalize_url
        root = Organization.add_root(name="Ферма", short_name="Ферма", level="ck", kind="union")
        rows = []
        for i in range({sites}):
            n = normalize_url(f"http://{{site_address(i)}}:{PORT}/")
            rows.append(Resource(organization=root, kind="site", url=n.url, url_key=n.key,
                                 title=f"Сайт {{i}}"))
        Resource.objects.bulk_create(rows, batch_size=2000)
    """)
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True,
                   timeout=max(deadline - time.monotonic(), 1))
    return env


def run_collect(env: dict, concurrency: int, deadline: float) -> dict:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "profinfo.cli", "collect",
                                "--no-progress", "--concurrency", str(concurrency)],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak = watch_memory(process, deadline)
    output = process.stdout.read()
    wall = time.monotonic() - started
    # like the baselines' own clocks: the run itself, without starting Python and Django
    query = ("import django; django.setup()\n"
             "from profinfo.monitoring.models import CollectionRun\n"
             "r = CollectionRun.objects.order_by('-pk').first()\n"
             "print((r.finished_at - r.started_at).total_seconds())")
    seconds = float(subprocess.run([sys.executable, "-c", query], env=env, cwd=ROOT,
                                   capture_output=True, text=True, check=True,
                                   timeout=120).stdout)
    return {"seconds": seconds, "wall": wall, "peak_mb": peak / 2 ** 20,
            "summary": output.strip().splitlines()[-1] if output.strip() else ""}


def watch_memory(process: subprocess.Popen, deadline: float) -> int:
    """Peak resident memory of the process and its children, sampled every 0.2 s."""
    peak = 0
    handle = psutil.Process(process.pid)
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit("time limit reached")
        try:
            rss = handle.memory_info().rss + sum(c.memory_info().rss
                                                 for c in handle.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    return peak


# --- rendering ----------------------------------------------------------------------------

RENDERED = ("import django; django.setup()\n"
            "from profinfo.monitoring.models import CollectionRun, Observation\n"
            "r = CollectionRun.objects.order_by('-pk').first()\n"
            "print(Observation.objects.filter(run=r, details__rendering__done=True).count())")


def run_rendering(data_dir: Path, args, deadline: float) -> dict:
    """The same farm, runs alternating without and with rendering after a first run that
    finds the slow sites (each figure: the better of two runs)."""
    result = {"off": [], "on": [], "rendered": 0}
    with Farm(args.sites, deadline, js_share=args.render_share) as farm:
        env = prepare(data_dir, args.sites, deadline)
        result["js_sites"] = len(farm.stats()["js_sites"])
        run_collect({**env, "PROFINFO_RENDER": "never"}, args.concurrency, deadline)
        for _ in range(2):
            for mode, key in (("never", "off"), ("auto", "on")):
                farm.reset()
                result[key].append(run_collect({**env, "PROFINFO_RENDER": mode},
                                               args.concurrency, deadline))
                if mode == "auto":
                    result["rendered"] = int(subprocess.run(
                        [sys.executable, "-c", RENDERED], env=env, cwd=ROOT, check=True,
                        capture_output=True, text=True, timeout=120).stdout)
    return result


def report_rendering(result: dict, args) -> None:
    off = min(r["seconds"] for r in result["off"])
    on = min(r["seconds"] for r in result["on"])
    peak = max(r["peak_mb"] for r in result["on"])
    peak_off = max(r["peak_mb"] for r in result["off"])

    def runs(key: str) -> str:
        return ", ".join(f"{r['seconds']:.1f}" for r in result[key])

    print(f"\nRendering: {args.sites} sites, {result['js_sites']} built by JavaScript, "
          f"concurrency {args.concurrency}")
    print(f"  without rendering      {off:8.1f} s   (runs: {runs('off')}; peak {peak_off:.0f} MB)")
    print(f"  with rendering         {on:8.1f} s   (runs: {runs('on')}; {result['rendered']} "
          f"sites rendered in Chromium; peak {peak:.0f} MB with the browser)")
    print(f"Ratio with/without rendering: {on / off:.2f} (goal ≤ 1.5)")


# --- what the farm saw ----------------------------------------------------------------------

def urls_by_site(stats: dict, farm: Farm) -> dict[int, list[str]]:
    urls: dict[int, list[str]] = defaultdict(list)
    for site, path, _ in stats["requests"]:
        urls[site].append(farm.url(site) + path)
    return dict(urls)


def occupancy(stats: dict, farm: Farm) -> float:
    """Seconds the requests hold a connection: the injected latency, or the client's time
    bound for a site that never answers."""
    faulty = {int(k): v for k, v in stats["faulty"].items()}
    return sum(TIMEOUT_BOUND if faulty.get(site) == "timeout" else latency
               for site, _, latency in stats["requests"])


# --- baselines ------------------------------------------------------------------------------

SEQUENTIAL = """
import json, sys, time
import requests
from bs4 import BeautifulSoup

sites = json.load(sys.stdin)
started = time.monotonic()
for urls in sites:
    session = requests.Session()
    for url in urls:
        try:
            r = session.get(url, timeout=(5, 10))
        except requests.RequestException:
            continue
        if "html" in r.headers.get("content-type", ""):
            soup = BeautifulSoup(r.content, "lxml")
            [a.get("href") for a in soup.find_all("a")]
            soup.get_text(" ")
print(time.monotonic() - started)
"""

SCRAPY = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

urls = json.load(sys.stdin)
concurrency = int(sys.argv[1])

class Same(scrapy.Spider):
    name = "same"
    custom_settings = {
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        # the same policy as ПрофИнфо's fetcher: wait 10 s for a silent server and do not
        # ask it again; retry refused, lost and reset connections and 5xx twice
        "DOWNLOAD_TIMEOUT": 10, "RETRY_TIMES": 2, "ROBOTSTXT_OBEY": False,
        "RETRY_EXCEPTIONS": [
            "twisted.internet.error.ConnectionRefusedError",
            "twisted.internet.error.ConnectError", "twisted.internet.error.ConnectionDone",
            "twisted.internet.error.ConnectionLost",
            "scrapy.core.downloader.handlers.http11.TunnelError",
            "twisted.web._newclient.ResponseFailed"],
        "RETRY_HTTP_CODES": [429, 502, 503, 504],
        "REDIRECT_MAX_TIMES": 5, "DOWNLOAD_MAXSIZE": 5 * 1024 * 1024,
        "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True, "REACTOR_THREADPOOL_MAXSIZE": 20,
        "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None,
                       "scrapy.extensions.telnet.TelnetConsole": None},
    }
    responses = 0

    def start_requests(self):  # Scrapy before 2.13
        for url in urls:
            yield scrapy.Request(url, dont_filter=True, callback=self.parse,
                                 errback=lambda failure: None)

    async def start(self):  # Scrapy 2.13 and later
        for request in self.start_requests():
            yield request

    def parse(self, response):
        Same.responses += 1
        if b"html" in response.headers.get("Content-Type", b""):
            response.css("a::attr(href)").getall()
            " ".join(response.xpath("//body//text()").getall())

started = time.monotonic()
process = CrawlerProcess()
process.crawl(Same)
process.start()
print(f"responses {Same.responses} of {len(urls)}", file=sys.stderr)
print(time.monotonic() - started)
"""


def run_scrapy(urls: dict[int, list[str]], concurrency: int, deadline: float) -> dict:
    every = [u for site in sorted(urls) for u in urls[site]]
    seconds = _python(SCRAPY, every, [str(concurrency)], deadline)
    return {"seconds": seconds}


def run_sequential(urls: dict[int, list[str]], sample: int, deadline: float) -> dict:
    chosen = random.Random(7).sample(sorted(urls), min(sample, len(urls)))
    seconds = _python(SEQUENTIAL, [urls[s] for s in chosen], [], deadline)
    return {"sample_sites": len(chosen), "sample_seconds": seconds,
            "seconds": seconds * len(urls) / len(chosen)}


def _python(code: str, data, argv: list[str], deadline: float) -> float:
    result = subprocess.run([sys.executable, "-c", code, *argv], input=json.dumps(data),
                            capture_output=True, text=True, cwd=ROOT,
                            timeout=max(deadline - time.monotonic(), 1))
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    return float(result.stdout.strip().splitlines()[-1])


# --- report -------------------------------------------------------------------------------

def report(results: dict, args) -> None:
    ours = results["profinfo"]["seconds"]
    print(f"\nFarm: {args.sites} sites, {results['requests']} requests, concurrency "
          f"{args.concurrency}, per-host 2")
    print(f"  ПрофИнфо, first run    {results['first']['seconds']:8.1f} s   "
          f"(process {results['first']['wall']:.1f} s; {results['first']['summary']})")
    print(f"  ПрофИнфо, next run     {ours:8.1f} s   (process {results['profinfo']['wall']:.1f} s;"
          f" sites that failed slowly go first)")
    print(f"  (a) sequential         {results['sequential']['seconds']:8.1f} s   (measured on "
          f"{results['sequential']['sample_sites']} sites: "
          f"{results['sequential']['sample_seconds']:.1f} s, scaled)")
    print(f"  (b) Scrapy             {results['scrapy']['seconds']:8.1f} s")
    print(f"  (c) limit              {results['limit']:8.1f} s")
    for label, seconds in (("first run", results["first"]["seconds"]), ("next run", ours)):
        print(f"Ratios, {label}: sequential/ПрофИнфо "
              f"{results['sequential']['seconds'] / seconds:.1f}× (goal ≥ 10×); "
              f"ПрофИнфо/Scrapy {seconds / results['scrapy']['seconds']:.2f} (goal ≤ 1); "
              f"ПрофИнфо/limit {seconds / results['limit']:.2f} (goal ≤ 1.5)")
    print(f"Peak memory of the run over {args.sites} sites: "
          f"{results['profinfo']['peak_mb']:.0f} MB")
    if "memory" in results:
        print(f"Peak memory of the run over {args.memory_sites} sites: "
              f"{results['memory']['peak_mb']:.0f} MB (goal < 500 MB), "
              f"{results['memory']['seconds']:.0f} s ({results['memory']['summary']})")
    if "rendering" in results:
        report_rendering(results["rendering"], args)


if __name__ == "__main__":
    main()
