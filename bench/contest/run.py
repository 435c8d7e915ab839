"""Contest benchmark: the jury's pages under load and freezing the results, at a federation's
scale, against baselines measured in the same run.

The data (bench/contest/data.py) is bench/registry's federation (21,000 organizations at
scale 1.0, with their resources and a year of observations) and a contest in «оценка»:
20,000 submitted applications in three nominations, 300 experts, every application scored
by 5 of them on every jury criterion (100,000 assignments, 200,000 marks).

  (a) the jury's queue, GET /contest/<year>/jury/, and (b) the scoring page,
      GET /contest/<year>/jury/<assignment>/, for an expert with ~333 assignments: p95 under
      8 concurrent clients against the trivial authenticated page requested with the same
      session in the same round — goal ≤ 3×. That page is /reports/: a view behind the
      same login check that renders the site's layout and reads nothing of its own
      (session, user and scope only). /healthz, which touches neither the session nor the
      database, is measured beside it and its ratios printed without a goal;
  (c) freezing the results (services.results_freeze on the contest in «подведение итогов»:
      the standings of every participant, the jury's means, the snapshot written) against
      computing the ratings of the same organizations as the ratings page does (this period
      and the previous one, for each rank's change; computed, not read from stored tables)
      — goal ≤ 1.5×; and, stricter and without a goal, against scoring them for the
      contest's period alone (evaluation.scoring.score).
Pages are measured in `--rounds` rounds, the
freeze `--repeat` times; medians are reported, and everything is written to a JSON file.

    python -m bench.contest.run                   # SQLite, full scale
    python -m bench.contest.run --database-url postgresql://postgres@127.0.0.1:5432/bench_contest
    # (the database named is dropped and created afresh, as bench/registry does)
    python -m bench.contest.run --scale 0.05      # a quick smoke run
    python -m bench.contest.run --keep            # then: --reuse DIR to measure again
    python -m bench.contest.run --reuse DIR --profile   # where the time goes (cProfile)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.contest import data
from bench.registry.run import generate, load, percentile, setup_django, start_server

ROOT = Path(__file__).resolve().parents[2]
PAGE_GOAL, FREEZE_GOAL = 3.0, 1.5
# The baseline of the pages' goal: the trivial authenticated page (login required, the
# layout, no queries of its own). /healthz (no session, no database) is shown beside it.
TRIVIAL_PAGE = "/reports/"
BARE_VIEW = "/healthz"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file "
                        "(PostgreSQL: the database named in the URL is dropped and created)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1.0 = 20,000 applications, 300 experts, 21,000 organizations")
    parser.add_argument("--per-application", type=int, default=5, help="experts per application")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=25, help="per client, page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the pages")
    parser.add_argument("--repeat", type=int, default=3, help="freezes (and scorings)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="keep the generated data folder")
    parser.add_argument("--reuse", metavar="DIR", help="a folder kept by --keep: measure "
                        "again without generating (PostgreSQL: with the same --database-url)")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-freeze", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one freeze and each page in-process (cProfile, "
                             "queries counted)")
    parser.add_argument("--json", metavar="FILE",
                        help="results file (default bench/contest/results-<database>.json)")
    return parser.parse_args()


# --- (c) freezing -------------------------------------------------------------------------

def _contest(info):
    from django.contrib.auth import get_user_model

    from profinfo.contest.models import Contest

    return (Contest.objects.get(pk=info["contest"]),
            get_user_model().objects.get(pk=info["organizer"]))


def _set_stage(contest, stage: str) -> None:
    """Past the services (which would take snapshots of their own on the way)."""
    from profinfo.contest.models import Contest

    Contest.objects.filter(pk=contest.pk).update(stage=stage, frozen_at=None)
    contest.refresh_from_db()


def _unfreeze(contest, snapshot) -> None:
    from profinfo.contest.models import Event, Snapshot

    Snapshot.objects.filter(pk=snapshot.pk).delete()
    Event.objects.filter(contest=contest, action="Итоги зафиксированы").delete()
    _set_stage(contest, "summing_up")


def _baseline_orgs(contest):
    """The participants, the way the standings select them for scoring."""
    from profinfo.contest.results import participants
    from profinfo.organizations.models import Organization

    return Organization.objects.filter(pk__in=participants(contest).values("organization_id"))


def bench_freeze(info: dict, repeat: int) -> dict:
    from profinfo.contest.results import jury_points, standings
    from profinfo.contest.services import results_freeze
    from profinfo.evaluation.scoring import score

    contest, organizer = _contest(info)
    _set_stage(contest, "summing_up")
    organizations = _baseline_orgs(contest)

    def run_score() -> float:
        started = time.perf_counter()
        scores = score(contest.methodology, organizations, contest.period_start,
                       contest.period_end)
        elapsed = time.perf_counter() - started
        assert len(scores) == info["organizations_applying"], len(scores)
        return elapsed

    def run_ratings() -> float:
        """The ratings as the ratings page computes them for these organizations: this
        period and the previous one (for each rank's change), computed, not read from the
        stored tables (which would only measure reading them)."""
        from profinfo.evaluation import scoring

        kept, scoring.COMPUTE_DIRECTLY_UP_TO = scoring.COMPUTE_DIRECTLY_UP_TO, 10**9
        try:
            started = time.perf_counter()
            scores = scoring.scores_with_change(contest.methodology, organizations,
                                                contest.period_start, contest.period_end)
            elapsed = time.perf_counter() - started
        finally:
            scoring.COMPUTE_DIRECTLY_UP_TO = kept
        assert len(scores) == info["organizations_applying"], len(scores)
        return elapsed

    def run_freeze() -> float:
        started = time.perf_counter()
        snapshot = results_freeze(contest, user=organizer)
        elapsed = time.perf_counter() - started
        written = snapshot.results.count()
        assert written == info["applications"], (written, info["applications"])
        _unfreeze(contest, snapshot)  # not timed: deleting the snapshot for the next turn
        return elapsed

    try:
        run_score(), run_freeze()  # warm-up: imports, caches, the database's pages
        freeze_s, score_s, ratings_s = [], [], []
        for i in range(repeat):  # alternating which goes first
            for name in (("score", "ratings", "freeze") if i % 2 == 0
                         else ("freeze", "ratings", "score")):
                if name == "score":
                    score_s.append(run_score())
                elif name == "ratings":
                    ratings_s.append(run_ratings())
                else:
                    freeze_s.append(run_freeze())
        # What the freeze is made of, once each (informative, not part of the ratio).
        parts = {}
        for name, run in (("standings", lambda: standings(contest)),
                          ("jury_points", lambda: jury_points(contest))):
            started = time.perf_counter()
            run()
            parts[name] = time.perf_counter() - started
    finally:
        _set_stage(contest, "evaluation")
    ratios = [f / s for f, s in zip(freeze_s, score_s, strict=True)]
    against_ratings = [f / r for f, r in zip(freeze_s, ratings_s, strict=True)]
    return {"freeze_s": freeze_s, "score_s": score_s, "ratings_s": ratings_s,
            "freeze": statistics.median(freeze_s), "score": statistics.median(score_s),
            "ratings": statistics.median(ratings_s), "ratio": statistics.median(ratios),
            "ratio_ratings": statistics.median(against_ratings), "parts": parts}


# --- (a), (b) the jury's pages ------------------------------------------------------------

def expert_and_assignments(info: dict):
    """An expert in the middle of the list and their assignments (~333 at full scale)."""
    from django.contrib.auth import get_user_model

    from profinfo.contest.models import Assignment

    expert = get_user_model().objects.filter(username__startswith="expert-").order_by(
        "username")[info["experts"] // 2]
    assignments = list(Assignment.objects.filter(expert=expert).order_by("pk")
                       .values_list("pk", flat=True))
    return expert, assignments


def session_for(user) -> str:
    """A signed-in session of `user` (bench/registry's session_cookie signs in its own
    administrator; the jury's pages need an expert)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def page_paths(info: dict, assignment_pk: int) -> dict[str, str] | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return {"jury queue": reverse("contest-jury-queue", args=[info["year"]]),
                "scoring page": reverse("contest-jury-score",
                                        args=[info["year"], assignment_pk])}
    except NoReverseMatch:
        return None


def bench_pages(args, data_dir: Path, info: dict) -> dict | None:
    expert, assignments = expert_and_assignments(info)
    if page_paths(info, assignments[0]) is None:
        print("(a), (b) skipped: the jury's pages (contest-jury-queue, contest-jury-score) "
              "are not in the project yet", flush=True)
        return None
    cookie = session_for(expert)
    server = start_server(args.port, data_dir)
    base = f"http://127.0.0.1:{args.port}"
    rounds = []
    try:
        for r in range(args.rounds):
            # A different assignment each round: from the middle of the expert's list.
            paths = {"bare": BARE_VIEW, "trivial": TRIVIAL_PAGE,
                     **page_paths(info, assignments[(len(assignments) // 2 + r)
                                                    % len(assignments)])}
            measured = {}
            for name, path in paths.items():
                load(base + path, cookie, 2, 2)  # warm-up
                timings = load(base + path, cookie, args.clients, args.requests)
                measured[name] = {"path": path, "p50": percentile(timings, 50),
                                  "p95": percentile(timings, 95), "n": len(timings)}
            rounds.append(measured)
            print(f"    round {r + 1}: " + "; ".join(
                f"{name} p95 {m['p95'] * 1000:.1f} ms" for name, m in measured.items()),
                flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    result = {"expert": expert.username, "assignments": len(assignments), "rounds": rounds}
    for name in ("bare", "trivial", "jury queue", "scoring page"):
        result[name] = {q: statistics.median(r[name][q] for r in rounds) for q in ("p50", "p95")}
        for base, key in (("trivial", "ratio"), ("bare", "ratio_bare")):
            if name != base:
                result[name][key] = statistics.median(r[name]["p95"] / r[base]["p95"]
                                                      for r in rounds)
    return result


# --- profiling ----------------------------------------------------------------------------

def profile(info: dict) -> None:
    """cProfile one freeze and one request of each page, in-process, with their queries."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from profinfo.contest.services import results_freeze

    def report(title, run):
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profiler.enable()
            run()
            profiler.disable()
            elapsed = time.perf_counter() - started
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        print(f"\n--- {title}: {elapsed:.3f} s under the profiler, {len(queries)} queries "
              f"({sql:.3f} s in SQL)")
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
        for q in slowest:
            print(f"    {float(q['time']):.3f} s  {q['sql'][:300]}")
        for order, restriction, title in (("cumulative", ["src/profinfo", 30], "the project's "
                                           "functions by cumulative time"),
                                          ("tottime", [15], "all functions by own time")):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(*restriction)
            lines = out.getvalue().splitlines()
            start = next(i for i, line in enumerate(lines) if "ncalls" in line)
            print(f"  {title}:")
            print("\n".join(line for line in lines[start:] if line.strip()))

    contest, organizer = _contest(info)
    _set_stage(contest, "summing_up")
    holder = {}
    try:
        report("results_freeze", lambda: holder.setdefault(
            "s", results_freeze(contest, user=organizer)))
        _unfreeze(contest, holder["s"])
    finally:
        _set_stage(contest, "evaluation")
    expert, assignments = expert_and_assignments(info)
    paths = page_paths(info, assignments[len(assignments) // 2])
    if paths is None:
        return
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(expert)
    for name, path in paths.items():
        client.get(path)  # warm-up
        report(f"GET {path} ({name})", lambda path=path: _ok(client.get(path)))


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


# --- report -------------------------------------------------------------------------------

def print_table(results: dict) -> None:
    rows = []
    pages = results.get("pages")
    if pages:
        trivial = pages["trivial"]["p95"] * 1000
        bare = pages["bare"]["p95"] * 1000
        for label, name in (("(a) jury queue, p95", "jury queue"),
                            ("(b) scoring page, p95", "scoring page")):
            ours = f"{pages[name]['p95'] * 1000:.1f} ms"
            rows.append((label, ours, f"{TRIVIAL_PAGE} {trivial:.1f} ms", pages[name]["ratio"],
                         PAGE_GOAL))
            rows.append((label, ours, f"{BARE_VIEW} {bare:.1f} ms",
                         pages[name]["ratio_bare"], None))
        rows.append((f"{TRIVIAL_PAGE}, p95", f"{trivial:.1f} ms", f"{BARE_VIEW} {bare:.1f} ms",
                     pages["trivial"]["ratio_bare"], None))
    freeze = results.get("freeze")
    if freeze:
        rows.append(("(c) freeze ÷ ratings", f"{freeze['freeze']:.2f} s",
                     f"ratings {freeze['ratings']:.2f} s", freeze["ratio_ratings"],
                     FREEZE_GOAL))
        rows.append(("(c') freeze ÷ score()", f"{freeze['freeze']:.2f} s",
                     f"score() {freeze['score']:.2f} s", freeze["ratio"], None))
    print(f"\n{'measure':<24} {'ours':>11}  {'baseline':<20} {'ratio':>7}  {'goal':>6}  result")
    for label, ours, baseline, ratio, goal in rows:
        print(f"{label:<24} {ours:>11}  {baseline:<20} {ratio:>6.2f}×  "
              + (f"≤{goal:g}×  " + ("PASS" if ratio <= goal else "FAIL") if goal
                 else "    —  (for comparison, no goal)"))


def main():
    args = parse_args()
    run_started = time.perf_counter()
    if args.reuse and args.database_url:
        # bench/registry's set-up creates a PostgreSQL database afresh; kept data is reused.
        os.environ["DATABASE_URL"] = args.database_url
        data_dir = setup_django(argparse.Namespace(reuse=args.reuse, database_url=""))
    else:
        data_dir = setup_django(args)
    from django.db import connection

    vendor = connection.vendor
    applications = max(50, int(data.APPLICATIONS * args.scale))
    experts = max(args.per_application + 5, int(data.EXPERTS * args.scale))
    print(f"database: {vendor}; scale {args.scale}", flush=True)
    results: dict = {"database": vendor, "scale": args.scale, "clients": args.clients,
                     "date": dt.datetime.now().isoformat(timespec="seconds")}
    info: dict = {}
    try:
        info_file = data_dir / "generated.json"
        if args.reuse:
            info = json.loads(info_file.read_text())
        else:
            federation = generate(data.federation_scale(applications))
            print(f"federation (bench/registry): {federation['organizations']:,} organizations,"
                  f" {federation['resources']:,} resources, {federation['observations']:,} "
                  f"observations in {federation['seconds']:.0f} s", flush=True)
            info = data.build(applications=applications, experts=experts,
                              per_application=args.per_application)
            info["federation"] = federation
            info_file.write_text(json.dumps(info))
        from profinfo.contest.models import Application

        info["organizations_applying"] = Application.objects.filter(
            nomination__contest=info["contest"]).values("organization_id").distinct().count()
        print(f"contest: {info['applications']:,} applications ("
              + ", ".join(f"{t}: {n:,}" for t, n in info["nominations"].items())
              + f"), {info['experts']} experts, {info['assignments']:,} assignments, "
              f"{info['marks']:,} marks, {info['disputes']} answered disputes in "
              f"{info['seconds']:.0f} s", flush=True)
        results["data"] = info
        if not args.skip_freeze:
            print(f"(c) freezing the results against scoring the same "
                  f"{info['organizations_applying']:,} organizations, {args.repeat} times:",
                  flush=True)
            freeze = results["freeze"] = bench_freeze(info, args.repeat)
            print("    freeze " + ", ".join(f"{s:.2f}" for s in freeze["freeze_s"])
                  + " s; score " + ", ".join(f"{s:.2f}" for s in freeze["score_s"]) + " s")
            print("    of the freeze, once each: " + ", ".join(
                f"{name} {s:.2f} s" for name, s in freeze["parts"].items()), flush=True)
        if not args.skip_pages:
            print(f"(a), (b) the jury's pages, {args.clients} concurrent clients × "
                  f"{args.requests} requests, {args.rounds} rounds:", flush=True)
            pages = bench_pages(args, data_dir, info)
            if pages:
                results["pages"] = pages
        print_table(results)
        if args.profile:
            profile(info)
    finally:
        results["seconds"] = time.perf_counter() - run_started
        out = Path(args.json) if args.json else ROOT / "bench" / "contest" / \
            f"results-{vendor}.json"
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
        print(f"\nresults: {out} ({results['seconds']:.0f} s in all)")
        if args.keep:
            print(f"data kept in {data_dir}")
        elif not args.reuse:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
