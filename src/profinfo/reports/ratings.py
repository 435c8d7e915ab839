"""Ratings and the report card (карточка организации): evaluation's scores as reports."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from profinfo.contest.links import absolute, contest_page, results_page
from profinfo.contest.models import Contest, Stage
from profinfo.evaluation.defaults import methodology_for
from profinfo.evaluation.scoring import (
    from_stored_tables,
    score,
    scores_with_change,
)
from profinfo.formatting import MISSING
from profinfo.monitoring.selectors import latest_values
from profinfo.organizations.models import LEVEL_NAMES, Organization, level_rank, subtree_q
from profinfo.registry.models import Resource

from .tables import Column, NeedsOrganization, Report

TITLES = {"ratings": "Рейтинг организаций", "org-card": "Карточка организации"}
RESULT = {True: "выполнен", False: "не выполнен", None: MISSING}


def _organizations(scope, org=None):
    qs = Organization.objects.visible_to(scope).filter(is_active=True)
    if org is not None:
        qs = qs.filter(subtree_q(org.path))
    return qs


def ratings(scope, start, end, org=None) -> Report:
    methodology = methodology_for(end.year)
    chosen = _organizations(scope, org)
    scores = scores_with_change(methodology, chosen, start, end)
    scores.sort(key=lambda s: (level_rank(s.level), s.rank))
    names = {pk: short or name for pk, name, short in chosen.values_list("pk", "name",
                                                                         "short_name")}
    rows = [[LEVEL_NAMES[s.level], shown_rank(s), names[s.organization_id],
             s.total, s.maximum, s.completeness, shown_change(s)] for s in scores]
    return Report("ratings", TITLES["ratings"],
                  [Column("Уровень"), Column("Место среди равных", "int"),
                   Column("Профсоюзная организация"), Column("Баллы", "float"),
                   Column("Из возможных", "float"), Column("Полнота данных", "percent"),
                   Column("Изменение места", "int")], rows, (start, end),
                  subtitle=f"{methodology}: ТО среди ТО, ППО среди ППО",
                  notes=["Критерии без данных не считаются нулём: они не входят в сумму, "
                         "а полнота данных показывает их долю.",
                         "Место не ставится организации без баллов и той, которую не с кем "
                         "сравнить на её уровне.", *_freshness(len(rows)),
                         *contest_notes(scope, end.year)])


def shown_rank(score) -> int | None:
    """A place among peers, where one means something: none with no points (nothing was
    scored, or everything is missing) and none for the only organization of its level."""
    if score.total <= 0 or score.peers <= 1:
        return None
    return score.rank


def shown_change(score) -> int | None:
    """The place's change, only beside a place that is shown."""
    return score.rank_change if shown_rank(score) is not None else None


def rank_words(score, level: str) -> str:
    if score.peers <= 1:
        return (f"места нет: среди организаций уровня «{level}», доступных для сравнения, "
                "она одна")
    if score.total <= 0:
        return f"без баллов место не ставится ({level}: организаций — {score.peers})"
    return f"место {score.rank} из {score.peers} ({level})"


def frozen_contest(scope, year: int, *, or_earlier: bool = False) -> Contest | None:
    """The contest of the year (or the latest one up to it) whose results are frozen and
    which the reader may see: published, or any frozen one for the organizers."""
    contests = Contest.objects.filter(frozen_at__isnull=False)
    contests = contests.filter(year__lte=year) if or_earlier else contests.filter(year=year)
    if not scope.is_global_admin:
        contests = contests.filter(stage=Stage.PUBLISHED)
    return contests.order_by("-year").first()


def contest_title(contest: Contest) -> str:
    return f"Итоги смотра-конкурса {contest.year}" + (" (пример)" if contest.is_example
                                                       else "")


def contest_path(contest: Contest) -> str:
    """Its published results, or the organizers' page while they are not published."""
    return results_page(contest.year) if contest.stage == Stage.PUBLISHED \
        else contest_page(contest.year)


def contest_notes(scope, year: int) -> list[str]:
    contest = frozen_contest(scope, year)
    if contest is None:
        return []
    return [f"{contest_title(contest)}: {absolute(contest_path(contest))}",
            "В смотре-конкурсе места распределены только между участниками, подавшими "
            "заявки, по номинациям; в этом рейтинге — все организации по данным за период."]


def _freshness(organizations: int) -> list[str]:
    if not from_stored_tables(organizations):
        return []
    minutes = max(settings.PROFINFO_SCORES_MAX_AGE // 60, 1)
    return [f"Баллы большого числа организаций берутся из общего расчёта: он обновляется "
            f"после каждой завершённой проверки, а после правок в реестре — не позже чем "
            f"через {minutes} мин."]


def org_card(scope, start, end, org=None) -> Report:
    if org is None:
        raise NeedsOrganization("Карточка строится для организации: откройте её со страницы "
                                "организации или укажите --org НОМЕР.")
    methodology = methodology_for(end.year)
    peers = Organization.objects.filter(
        Q(scope.readable(), is_active=True, level=org.level) | Q(pk=org.pk))
    ranked = next((s for s in scores_with_change(methodology, peers, start, end)
                   if s.organization_id == org.pk), None)
    if ranked is not None and ranked.columns:
        mine = ranked  # computed directly: every criterion is there, with its evidence
    else:
        mine = score(methodology, [org], start, end)[0]
        if ranked is not None:  # read from a stored table: its rank, the rest computed here
            mine.rank, mine.peers, mine.previous_rank = ranked.rank, ranked.peers, \
                ranked.previous_rank
    rows = [[r.criterion.block.title, r.criterion.title, RESULT[r.outcome.met], r.points,
             r.outcome.evidence, r.recommendation] for r in mine.results]
    change = shown_change(mine)
    moved = "" if change is None else (f", {'+' if change > 0 else ''}{change} с прошлого "
                                       "периода" if change else ", без изменений")
    summary = (f"{org.display_name}: {mine.total:g} из {mine.maximum:g} баллов; "
               f"{rank_words(mine, org.get_level_display())}{moved}; полнота "
               f"данных {mine.completeness:.0%}")
    return Report("org-card", f"{TITLES['org-card']}: {org.display_name}",
                  [Column("Блок"), Column("Критерий"), Column("Результат"),
                   Column("Баллы", "float"), Column("Основание"), Column("Рекомендация")],
                  rows, (start, end), subtitle=summary,
                  notes=[f"{title}: {points:g} из {maximum:g}"
                         for title, points, maximum in mine.blocks()],
                  about_one_organization=True, parts=[org_resources(org)])


FIGURES = [("subscribers", "Подписчиков", "int"), ("publications", "Публикаций", "int"),
           ("visitors", "Посетителей", "int"), ("last_publication", "Последняя публикация",
                                                "date"),
           ("engagement", "Вовлечённость", "percent")]


def org_resources(org) -> Report:
    """The card's second table: the organization's own resources with their latest figures."""
    resources = list(Resource.objects.filter(organization=org, is_active=True)
                     .order_by("kind", "title"))
    figures = latest_values([r.pk for r in resources])
    rows = []
    for resource in resources:
        latest = figures.get(resource.pk, {})
        values = [(latest[m].value_date if kind == "date" else latest[m].value)
                  if m in latest else None for m, _, kind in FIGURES]
        rows.append([resource.get_kind_display()
                     + (f" ({resource.get_network_display()})" if resource.network else ""),
                     resource.title, resource.url, *values])
    return Report("org-resources", "Ресурсы организации и последние показатели",
                  [Column("Вид"), Column("Ресурс"), Column("Адрес"),
                   *[Column(title, kind) for _, title, kind in FIGURES]], rows)


REPORTS = {"ratings": ratings, "org-card": org_card}
