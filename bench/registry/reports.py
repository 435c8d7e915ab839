"""(c) Every report over the whole federation against the analyst's alternative: pandas over
CSV exports of the same data (reading the files included, writing them not).

The pandas side does the same aggregation as ПрофИнфо: the same periods, the newest figure
per page, sums inside the period, the criteria by the newest audit, and for the ratings the
methodology's criteria, points, unknowns left out and ranks among peers — its totals are
compared with ours, organization by organization, so the two cannot quietly differ.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path

SITE_CODES: list[str] = []  # filled from the auditor's criteria once Django is set up
ISSUES_PER_YEAR: dict[str, int] = {}  # and the registry's periodicities


def _best_of(run, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def export(data_dir: Path) -> dict[str, Path]:
    """What an analyst would download: observations, audits, resources, issues."""
    from profinfo.monitoring.collectors.site_criteria import CRITERIA
    from profinfo.monitoring.models import Metric, Observation
    from profinfo.registry.models import ISSUES_PER_YEAR as REGISTRY_ISSUES_PER_YEAR
    from profinfo.registry.models import PrintIssue, Resource

    SITE_CODES[:] = list(CRITERIA)
    ISSUES_PER_YEAR.update({str(k): v for k, v in REGISTRY_ISSUES_PER_YEAR.items()})
    files = {name: data_dir / f"{name}.csv" for name in
             ("observations", "audits", "resources", "issues")}
    numeric = Observation.objects.filter(ok=True).exclude(metric=Metric.SITE_AUDIT)
    _write(files["observations"], ["resource_id", "organization", "title", "kind", "metric",
                                   "period_start", "period_end", "value", "value_date"],
           numeric.values_list("resource_id", "resource__organization__short_name",
                               "resource__title", "resource__kind", "metric", "period_start",
                               "period_end", "value", "value_date"))
    audits = Observation.objects.filter(ok=True, metric=Metric.SITE_AUDIT).values_list(
        "resource_id", "period_end", "observed_at", "details")
    _write(files["audits"], ["resource_id", "period_end", "observed_at", *SITE_CODES],
           ((rid, end, seen, *[int(bool(details["criteria"].get(c, {}).get("present")))
                               for c in SITE_CODES]) for rid, end, seen, details in audits))
    _write(files["resources"], ["resource_id", "organization_id", "organization", "level",
                                "members", "kind", "network", "title", "is_youth_council",
                                "is_leader_page", "periodicity", "service_type", "date"],
           Resource.objects.filter(is_active=True, organization__is_active=True).values_list(
               "pk", "organization_id", "organization__short_name", "organization__level",
               "organization__members_count", "kind", "network", "title", "is_youth_council",
               "is_leader_page", "periodicity", "service_type", "date"))
    _write(files["issues"], ["resource_id", "date"],
           PrintIssue.objects.values_list("resource_id", "date"))
    return files


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows.iterator(chunk_size=20000) if hasattr(rows, "iterator")
                         else rows)


# --- the analyst's alternative -------------------------------------------------------------

class Pandas:
    def __init__(self, files: dict[str, Path], start: dt.date, end: dt.date):
        import pandas as pd

        self.pd, self.files = pd, files
        self.start, self.end = pd.Timestamp(start), pd.Timestamp(end)

    def observations(self, dates=("period_start", "period_end")):
        return self.pd.read_csv(self.files["observations"], parse_dates=list(dates),
                                low_memory=False)

    def site_stats(self):
        frame = self.observations()
        inside = frame[(frame.kind == "site") & frame.period_start.notna()
                       & (frame.period_start >= self.start) & (frame.period_end <= self.end)
                       & frame.metric.isin(["publications", "visitors", "views"])]
        return inside.pivot_table(index=["organization", "title"], columns="metric",
                                  values="value", aggfunc="sum")

    def publication_leaders(self):
        return self.site_stats()["publications"].nlargest(10)

    def _newest(self, frame, metric):
        inside = frame[(frame.metric == metric) & (frame.period_end >= self.start)
                       & (frame.period_end <= self.end)]
        return inside.sort_values("period_end").groupby("resource_id").tail(1) \
            .set_index("resource_id")

    def social_stats(self):
        return self._newest(self.observations(("period_end",)), "subscribers") \
            .sort_values("value", ascending=False)

    def engagement(self):
        frame = self.observations(("period_end",))
        rate = self._newest(frame, "engagement")
        subscribers = self._newest(frame, "subscribers").value.rename("subscribers")
        return rate.join(subscribers).sort_values("value", ascending=False)

    def stale_pages(self):
        frame = self.observations(("period_end", "value_date"))
        last = frame[(frame.metric == "last_publication") & (frame.period_end <= self.end)] \
            .groupby(["resource_id", "organization", "title"]).value_date.max()
        return last[last < self.end - self.pd.Timedelta(days=90)].sort_values()

    def resources(self):
        return self.pd.read_csv(self.files["resources"], parse_dates=["date"])

    def print_editions(self):
        pd = self.pd
        editions = self.resources().query("kind == 'print'").set_index("resource_id")
        issues = pd.read_csv(self.files["issues"], parse_dates=["date"])
        issues = issues[(issues.date >= self.start) & (issues.date <= self.end)]
        editions["found"] = issues.groupby("resource_id").size()
        editions["found"] = editions.found.fillna(0)
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        editions["expected"] = (editions.periodicity.map(ISSUES_PER_YEAR) * months / 12).round()
        editions["compliance"] = editions.found / editions.expected
        return editions.sort_values(["level", "organization"])

    def site_criteria(self):
        audits = self.pd.read_csv(self.files["audits"], parse_dates=["observed_at"])
        newest = audits.sort_values("observed_at").groupby("resource_id").tail(1)
        sites = self.resources().query("kind == 'site'")
        return sites.merge(newest, on="resource_id", how="left") \
            .sort_values(["organization", "title"])

    def digital_tech(self):
        digital = self.resources().query("kind == 'digital'")
        digital = digital[digital.date.isna() | (digital.date <= self.end)]
        return self.pd.crosstab(digital.organization, digital.service_type)

    def ratings(self, previous: tuple[dt.date, dt.date]):
        """Scores of every organization in the period and the one before, ranks among
        peers, the change of rank — as the default methodology says."""
        pd = self.pd
        frame = self.observations()
        audits = pd.read_csv(self.files["audits"], parse_dates=["period_end", "observed_at"])
        resources = self.resources()
        issues = pd.read_csv(self.files["issues"], parse_dates=["date"])
        current = self._scores(frame, audits, resources, issues, self.start, self.end)
        before = self._scores(frame, audits, resources, issues, pd.Timestamp(previous[0]),
                              pd.Timestamp(previous[1]))
        current["change"] = (before["rank"] - current["rank"]).where(before.measured)
        return current

    def _scores(self, frame, audits, resources, issues, start, end):
        pd = self.pd
        orgs = resources.groupby("organization_id")[["level", "members"]].first()
        index = orgs.index
        points = pd.DataFrame(index=index)
        measured = pd.Series(False, index=index)

        def owners(kind):
            return resources[resources.kind == kind].set_index("resource_id").organization_id

        def column(known_values, holders, absent=0.0):
            """Orgs without the resource: `absent`; with it but no figure: unknown."""
            result = pd.Series(float("nan"), index=index)
            result[~index.isin(holders)] = absent
            result[known_values.index] = known_values.astype(float)
            return result

        sites, pages = owners("site"), owners("social")
        newest = audits[audits.period_end <= end].sort_values(
            ["period_end", "observed_at"]).groupby("resource_id").tail(1)
        newest = newest.assign(organization_id=newest.resource_id.map(sites)).dropna(
            subset=["organization_id"]).astype({"organization_id": int})
        by_org = newest.groupby("organization_id")[SITE_CODES].max()
        for code in SITE_CODES:
            points[code] = column(by_org[code], sites.values)
        measured |= index.isin(by_org.index)

        inside = frame[(frame.period_end <= end)]
        sums = inside[(inside.metric == "publications") & (inside.period_start >= start)]
        published = sums.assign(organization_id=sums.resource_id.map(sites)).dropna(
            subset=["organization_id"]).astype({"organization_id": int}) \
            .groupby("organization_id").value.sum()
        points["site_publications"] = column(published >= 12, sites.values)
        measured |= index.isin(published.index)

        page_count = pages.groupby(pages).size().reindex(index, fill_value=0)
        points["social_pages"] = (page_count >= 1).astype(float)
        latest = inside[inside.period_end >= start].sort_values("period_end") \
            .groupby(["resource_id", "metric"]).tail(1)
        latest = latest.assign(organization_id=latest.resource_id.map(pages)).dropna(
            subset=["organization_id"]).astype({"organization_id": int})

        def per_org(metric, how):
            return latest[latest.metric == metric].groupby("organization_id").value.agg(how)

        ratio = per_org("subscribers", "sum") / orgs.members.replace(0, float("nan"))
        ratio = ratio.dropna()
        points["subscribers"] = column(ratio >= 0.1, pages.values)
        for name, metric, threshold in (("posting", "posts_per_week", 2),
                                        ("engagement", "engagement", 0.01)):
            best = per_org(metric, "max")
            points[name] = column(best >= threshold, pages.values)
            measured |= index.isin(best.index)
        measured |= index.isin(ratio.index)
        points["design"] = points["evergreen"] = float("nan")  # the jury has not scored
        marked = resources[resources.kind == "social"].groupby("organization_id")
        points["youth_council"] = (marked.is_youth_council.sum() > 0).reindex(
            index, fill_value=False).astype(float)
        points["leaders"] = (marked.is_leader_page.sum() > 0).reindex(
            index, fill_value=False).astype(float)
        editions = resources[resources.kind == "print"].set_index("resource_id")
        points["editions"] = 2.0 * index.isin(editions.organization_id)
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        found = issues[(issues.date >= start) & (issues.date <= end)].groupby(
            "resource_id").size()
        expected = (editions.periodicity.map(ISSUES_PER_YEAR) * months / 12).round().clip(1)
        share = (found.reindex(editions.index, fill_value=0) / expected).clip(upper=1)
        worst = share.groupby(editions.organization_id).min().dropna()
        points["periodicity"] = column(worst >= 0.9, editions.organization_id.values)
        agitation = resources[resources.kind.isin(["agitation", "souvenir"])]
        agitation = agitation[agitation.date.isna() | agitation.date.between(start, end)]
        points["leaflets"] = index.isin(agitation.organization_id).astype(float)
        digital = resources[(resources.kind == "digital")
                            & (resources.date.isna() | (resources.date <= end))]
        for name, types in DIGITAL.items():
            points[name] = index.isin(
                digital[digital.service_type.isin(types)].organization_id).astype(float)
        scores = pd.DataFrame({"level": orgs.level, "total": points.sum(axis=1),
                               "known": points.notna().sum(axis=1), "measured": measured})
        scores["rank"] = scores.groupby("level").total.rank(method="min", ascending=False)
        return scores


DIGITAL = {"channels": ["hotline", "legal", "newsletter", "chat"],
           "membership": ["membership"], "videoconference": ["videoconference"],
           "distance_learning": ["distance_learning"], "paperless": ["paperless"]}


# --- the measurement ---------------------------------------------------------------------

def bench_reports(data_dir: Path, report) -> tuple[int, int]:
    """Calls `report(name, ours, theirs)` as each is measured; returns how many
    organizations' ratings were compared with pandas and how many differ."""
    from profinfo.evaluation.defaults import methodology_for
    from profinfo.evaluation.models import ScoreTable
    from profinfo.evaluation.scoring import previous_period, scores_with_change
    from profinfo.organizations.models import Organization
    from profinfo.organizations.scoping import Scope
    from profinfo.reports import annual

    everything = Scope(is_superuser=True)
    end = dt.date.today()
    start = end - dt.timedelta(days=365)
    analyst = Pandas(export(data_dir), start, end)
    for name in ["site-stats", "publication-leaders", "social-stats", "engagement",
                 "stale-pages", "print-editions", "site-criteria", "digital-tech"]:
        ours = _best_of(lambda name=name: annual.build(name, everything, start, end))
        report(name, ours, _best_of(getattr(analyst, name.replace("-", "_"))))

    def ratings_cold():
        ScoreTable.objects.all().delete()
        annual.build("ratings", everything, start, end)

    previous = previous_period(start, end)
    theirs = _best_of(lambda: analyst.ratings(previous), repeat=1)
    report("ratings, first look (computed and stored)", _best_of(ratings_cold, 1), theirs)
    report("ratings, stored", _best_of(lambda: annual.build("ratings", everything, start,
                                                            end)), theirs)
    card_of = Organization.objects.filter(level="primary").order_by("pk")[500]
    report("org-card (a ППО among all ППО)", _best_of(
        lambda: annual.build("org-card", everything, start, end, card_of)), None)
    ours = {s.organization_id: (s.total, s.rank) for s in scores_with_change(
        methodology_for(end.year), Organization.objects.filter(is_active=True), start, end)}
    pandas_scores = analyst.ratings(previous)
    differ = sum(1 for pk, row in pandas_scores.iterrows()
                 if abs(ours[pk][0] - row.total) > 1e-9 or ours[pk][1] != row["rank"])
    return len(pandas_scores), differ
