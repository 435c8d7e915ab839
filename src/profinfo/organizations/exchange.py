"""The organizations sheet: export, and import that creates or updates nodes of the tree."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from simple_history.utils import bulk_update_with_history

from profinfo import bulk
from profinfo.bulk import stamp_timestamps
from profinfo.exchange import (
    YES_NO,
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
from profinfo.tabular import parse_bool, parse_int

from .models import Level, Organization, OrganizationKind, subtree_q
from .scoping import Scope

UPDATABLE = ("name", "short_name", "level", "kind", "region", "members_count", "is_active")


class OrganizationsDataset(Dataset):
    key = "orgs"
    title = "Организации"
    order = 1
    columns = [
        SheetColumn("№", aliases=("id", "номер")),
        SheetColumn("Полное название", required=True, aliases=("название организации",)),
        SheetColumn("Краткое название"),
        SheetColumn("Уровень", required=True, help="ЦК, ТО, ППО или «Иное подразделение»",
                    choices=tuple(Level.choices)),
        SheetColumn("Вид", choices=tuple(OrganizationKind.choices)),
        SheetColumn("Регион"),
        SheetColumn("Число членов профсоюза", aliases=("численность",)),
        SheetColumn("Действует", help="да или нет; пусто — да", choices=YES_NO),
        SheetColumn("№ вышестоящей"),
        SheetColumn("Вышестоящая организация"),
    ]

    def export_rows(self, scope: Scope, **filters):
        qs = Organization.objects.visible_to(scope).order_by("path")
        if subtree := filters.get("subtree"):
            qs = qs.filter(subtree_q(subtree.path))
        names_by_path = {}
        step = Organization.steplen
        for org in qs.iterator(chunk_size=2000):
            names_by_path[org.path] = (org.pk, org.display_name)
            parent_id, parent_name = names_by_path.get(org.path[:-step], (None, ""))
            if parent_id is None and org.depth > 1:
                parent = Organization.objects.filter(path=org.path[:-step]).first()
                parent_id, parent_name = (parent.pk, parent.display_name) if parent else (None, "")
            yield [org.pk, org.name, org.short_name, org.get_level_display(),
                   org.get_kind_display() if org.kind else "", org.region, org.members_count,
                   "да" if org.is_active else "нет", parent_id, parent_name]

    def plan(self, sheet, context: ImportContext, plan: ImportPlan) -> SheetPlan:
        result = SheetPlan(self, sheet.name)
        columns = self.column_map(sheet.headers)
        rows = list(sheet.rows)
        # Numbers from the file only ever address rows the importer may change.
        existing = Organization.objects.editable_by(context.scope).in_bulk(
            numbers_in(RowReader(v, columns).raw("№") for _, v in rows))
        lookup = NameLookup()
        for number, values in rows:
            reader = RowReader(values, columns)
            try:
                self._plan_row(reader, existing, lookup, context, result)
            except RowProblem as problem:
                plan.add_error(RowError(sheet.name, number, problem.column, problem.message))
        return result

    def _plan_row(self, reader: RowReader, existing, lookup, context: ImportContext,
                  result: SheetPlan) -> None:
        ref = reader.convert("№", parse_int)
        fields = {
            "name": reader.text("Полное название", required=True),
            "short_name": reader.text("Краткое название", max_length=200),
            "level": reader.choice("Уровень", Level.choices, required=True),
            "kind": reader.choice("Вид", OrganizationKind.choices),
            "region": reader.text("Регион", max_length=200),
            "members_count": reader.convert("Число членов профсоюза", parse_int),
            "is_active": reader.convert("Действует", lambda v: True if v in (None, "")
                                        else parse_bool(v)),
        }
        if ref and ref not in existing:
            raise RowProblem("№", f"организации № {ref} нет среди тех, что вы можете изменять; "
                             "для новой организации оставьте «№» пустым")
        parent = self._parent(reader, existing, lookup, context)
        org = existing.get(ref) if ref else None
        if org is not None:
            current_parent_path = org.path[:-Organization.steplen]
            if parent is not None and parent.pk and parent.path != current_parent_path:
                raise RowProblem("№ вышестоящей", "перенос организации в другую вышестоящую "
                                 "через таблицу не выполняется: перенесите её в интерфейсе")
            changed = {k: v for k, v in fields.items() if getattr(org, k) != v}
            if changed:
                for name, value in changed.items():
                    setattr(org, name, value)
                result.updates.append(org)
            else:
                result.unchanged += 1
            context.orgs_by_ref[("id", ref)] = org
            lookup.add(org)
            return
        if parent is None:
            raise RowProblem("Вышестоящая организация", "укажите вышестоящую организацию "
                             "(номер или название); новую головную организацию через таблицу "
                             "создать нельзя")
        if parent.pk and not context.scope.can_edit(parent):
            raise RowProblem("Вышестоящая организация", f"«{parent}» не входит в вашу зону "
                             "ответственности")
        if parent.pk is None and not getattr(parent, "_import_new", False):
            raise RowProblem("Вышестоящая организация", "вышестоящая организация не найдена")
        org = Organization(**fields)  # the database gives the number
        org._import_new = True
        org._import_parent = parent
        result.creates.append(org)
        context.orgs_by_ref[("new", len(result.creates))] = org
        lookup.add(org)

    def _parent(self, reader: RowReader, existing, lookup, context) -> Organization | None:
        parent_ref = reader.convert("№ вышестоящей", parse_int)
        parent_name = reader.text("Вышестоящая организация")
        if parent_ref:
            parent = existing.get(parent_ref) or Organization.objects.visible_to(
                context.scope).filter(pk__in=numbers_in([parent_ref])).first()
            if parent is None:
                raise RowProblem("№ вышестоящей", f"организации № {parent_ref} нет среди тех, "
                                 "что вам видны; новую вышестоящую укажите названием")
            return parent
        if parent_name:
            parent = lookup.find(parent_name, context.scope)
            if parent is None:
                raise RowProblem("Вышестоящая организация",
                                 f"организация «{parent_name}» не найдена в реестре; проверьте "
                                 "название или укажите её номер")
            return parent
        return None

    def apply(self, sheet_plan: SheetPlan, context: ImportContext) -> None:
        if sheet_plan.updates:
            bulk_update_with_history(sheet_plan.updates, Organization, list(UPDATABLE),
                                     batch_size=1000, default_user=context.acting_user,
                                     default_change_reason="Импорт таблицы")
            for org in sheet_plan.updates:
                org.search_text = " ".join([org.name, org.short_name, org.region]).casefold()
            Organization.objects.bulk_update(sheet_plan.updates, ["search_text"],
                                             batch_size=1000)
        if sheet_plan.creates:
            _allocate_paths(sheet_plan.creates)
            for org in sheet_plan.creates:
                org.search_text = " ".join([org.name, org.short_name, org.region]).casefold()
            stamp_timestamps(sheet_plan.creates, "created_at", "updated_at")
            bulk.insert(Organization, sheet_plan.creates)
            bulk.insert_history(Organization, sheet_plan.creates, user=context.acting_user,
                                reason="Импорт таблицы")
            _refresh_numchild({org._import_parent.path for org in sheet_plan.creates})


def _allocate_paths(new_orgs: list[Organization]) -> None:
    """Give new nodes materialized paths in file order, as treebeard's add_child would."""
    last_child_path: dict[str, str | None] = {}
    for org in new_orgs:
        parent = org._import_parent
        if parent.path not in last_child_path:
            last = (Organization.objects.filter(subtree_q(parent.path),
                                                depth=parent.depth + 1)
                    .order_by("-path").values_list("path", flat=True).first())
            last_child_path[parent.path] = last
        last = last_child_path[parent.path]
        if last is None:
            path = Organization._get_path(parent.path, parent.depth + 1, 1)
        else:
            path = Organization(path=last)._inc_path()
        org.path, org.depth, org.numchild = path, parent.depth + 1, 0
        last_child_path[parent.path] = path
        last_child_path.setdefault(path, None)


def _refresh_numchild(parent_paths: set[str]) -> None:
    parents = list(Organization.objects.filter(path__in=parent_paths))
    counts = defaultdict(int)
    for parent in parents:
        counts[parent.pk] = (Organization.objects.filter(subtree_q(parent.path),
                                                         depth=parent.depth + 1)
                             .aggregate(n=Count("id"))["n"])
    for parent in parents:
        parent.numchild = counts[parent.pk]
    Organization.objects.bulk_update(parents, ["numchild"], batch_size=1000)


class NameLookup:
    """Find organizations by full or short name: those of the file first, then the database."""

    def __init__(self):
        self.in_file: dict[str, Organization] = {}

    @staticmethod
    def _key(name: str) -> str:
        return " ".join(name.split()).casefold().replace("ё", "е")

    def add(self, org: Organization) -> None:
        for name in (org.name, org.short_name):
            if name:
                self.in_file[self._key(name)] = org

    def find(self, name: str, scope: Scope) -> Organization | None:
        key = self._key(name)
        if key in self.in_file:
            return self.in_file[key]
        matches = [o for o in Organization.objects.filter(search_text__contains=key)[:50]
                   if key in {self._key(o.name), self._key(o.short_name)}
                   and scope.can_read(o)]
        if len(matches) > 1:
            raise RowProblem("Вышестоящая организация",
                             f"названию «{name}» соответствует несколько организаций; "
                             "укажите номер")
        return matches[0] if matches else None
