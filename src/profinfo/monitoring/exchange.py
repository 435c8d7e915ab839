"""The statistics sheet: figures entered by people (publications, visitors, views,
subscribers) exported and imported. Observations are only added; a row that repeats an
observation already stored is skipped, so re-importing an export adds nothing."""

from __future__ import annotations

from profinfo import bulk
from profinfo.bulk import stamp_timestamps
from profinfo.exchange import (
    Dataset,
    ImportContext,
    ImportPlan,
    RowError,
    RowProblem,
    RowReader,
    SheetColumn,
    SheetPlan,
    numbers_in,
)
from profinfo.organizations.models import subtree_q
from profinfo.organizations.scoping import Scope
from profinfo.registry.models import Resource
from profinfo.registry.normalize import InvalidUrl, normalize_url
from profinfo.tabular import parse_date, parse_int

from .models import MANUAL_DATE_METRICS, MANUAL_PERIOD_METRICS, Observation, Source
from .services import latest_values_refresh

IMPORTABLE = [(m.value, m.label) for m in (*MANUAL_PERIOD_METRICS, *MANUAL_DATE_METRICS)]
SOURCES = [(s.value, s.label) for s in (Source.IMPORT, Source.MANUAL, Source.PRESENTATION_2022)]


class ObservationsDataset(Dataset):
    key = "observations"
    title = "Показатели"
    order = 3
    columns = [
        SheetColumn("№ ресурса"),
        SheetColumn("Ресурс"),
        SheetColumn("Адрес"),
        SheetColumn("Показатель", required=True, choices=tuple(IMPORTABLE)),
        SheetColumn("Значение", required=True),
        SheetColumn("Начало периода"),
        SheetColumn("Конец периода или дата", required=True, aliases=("дата", "конец периода")),
        SheetColumn("Источник", choices=tuple(SOURCES)),
        SheetColumn("Примечание"),
    ]

    def export_rows(self, scope: Scope, **filters):
        qs = (Observation.objects.visible_to(scope).filter(ok=True,
                                         metric__in=[m for m, _ in IMPORTABLE])
              .select_related("resource").order_by("resource_id", "metric", "period_end", "id"))
        if subtree := filters.get("subtree"):
            qs = qs.filter(subtree_q(subtree.path, "resource__organization__"))
        for o in qs.iterator(chunk_size=5000):
            yield [o.resource_id, o.resource.title, o.resource.url, o.get_metric_display(),
                   int(o.value) if o.value is not None and o.value.is_integer() else o.value,
                   o.period_start, o.period_end, o.get_source_display(), o.note]

    def plan(self, sheet, context: ImportContext, plan: ImportPlan) -> SheetPlan:
        result = SheetPlan(self, sheet.name)
        columns = self.column_map(sheet.headers)
        rows = [(n, RowReader(v, columns)) for n, v in sheet.rows]
        # Numbers and addresses from the file only ever find resources the importer may change.
        resources = (Resource.objects.editable_by(context.scope)
                     .select_related("organization")
                     .in_bulk(numbers_in(r.raw("№ ресурса") for _, r in rows)))
        seen = set()
        for number, reader in rows:
            try:
                obs = self._build(reader, resources, context)
            except RowProblem as problem:
                plan.add_error(RowError(sheet.name, number, problem.column, problem.message))
                continue
            key = (id(obs.resource), obs.metric, obs.period_start, obs.period_end, obs.value)
            if key in seen or (obs.resource.pk and Observation.objects.filter(
                    resource=obs.resource, metric=obs.metric, period_start=obs.period_start,
                    period_end=obs.period_end, value=obs.value, ok=True).exists()):
                result.skipped += 1
                continue
            seen.add(key)
            result.creates.append(obs)
        return result

    def _build(self, reader: RowReader, resources, context: ImportContext) -> Observation:
        resource = self._resource(reader, resources, context)
        metric = reader.choice("Показатель", IMPORTABLE, required=True)
        value = reader.convert("Значение", parse_int)
        if value is None:
            raise RowProblem("Значение", "не заполнено")
        start = reader.convert("Начало периода", parse_date)
        end = reader.convert("Конец периода или дата", parse_date)
        if end is None:
            raise RowProblem("Конец периода или дата", "не заполнено")
        if metric in MANUAL_PERIOD_METRICS and start is None:
            raise RowProblem("Начало периода", "для этого показателя нужен период")
        if metric in MANUAL_DATE_METRICS:
            start = None
        if start and start > end:
            raise RowProblem("Начало периода", "начало периода позже его конца")
        source = reader.choice("Источник", SOURCES) or Source.IMPORT
        return Observation(resource=resource, metric=metric, value=value, period_start=start,
                           period_end=end, source=source,
                           note=reader.text("Примечание", max_length=500),
                           created_by=context.acting_user)

    @staticmethod
    def _resource(reader: RowReader, resources, context: ImportContext) -> Resource:
        ref = reader.convert("№ ресурса", parse_int)
        address = reader.text("Адрес", max_length=2000)
        resource = None
        if ref:
            resource = resources.get(ref)
        if resource is None and address:
            try:
                key = normalize_url(address).key
            except InvalidUrl as exc:
                raise RowProblem("Адрес", str(exc).rstrip(".")) from exc
            resource = (context.resources_by_ref.get(("url", key))
                        or Resource.objects.editable_by(context.scope)
                        .select_related("organization").filter(url_key=key).first())
        title = reader.text("Ресурс", max_length=500)
        if resource is None and title:
            resource = _by_title(title, context)
        if resource is None:
            raise RowProblem("№ ресурса", "ресурс не найден среди тех, что вы можете изменять: "
                             "укажите его номер в реестре, адрес или точное название")
        return resource

    def apply(self, sheet_plan: SheetPlan, context: ImportContext) -> None:
        for obs in sheet_plan.creates:
            obs.resource_id = obs.resource.pk  # the resource may have been created just now
        stamp_timestamps(sheet_plan.creates, "observed_at")
        bulk.insert(Observation, sheet_plan.creates)
        latest_values_refresh(sheet_plan.creates)


def _by_title(title: str, context: ImportContext) -> Resource | None:
    """A resource named exactly so, added earlier in the file or among those one may change."""
    key = ("title", title.casefold())
    if key in context.resources_by_ref:
        found = context.resources_by_ref[key]
        if found is None:
            raise RowProblem("Ресурс", f"названию «{title}» соответствует несколько ресурсов: "
                             "укажите номер или адрес")
        return found
    matches = list(Resource.objects.editable_by(context.scope)
                   .select_related("organization").filter(title=title)[:2])
    if len(matches) > 1:
        raise RowProblem("Ресурс", f"названию «{title}» соответствует несколько ресурсов: "
                         "укажите номер или адрес")
    return matches[0] if matches else None
