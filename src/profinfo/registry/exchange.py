"""The resources sheet: export, and an import that checks every row before writing any."""

from __future__ import annotations

from django.core.exceptions import ValidationError
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
from profinfo.organizations.exchange import NameLookup
from profinfo.organizations.models import Organization, subtree_q
from profinfo.organizations.scoping import Scope
from profinfo.tabular import parse_bool, parse_date, parse_int

from .models import DigitalService, Kind, Network, Periodicity, PrintType, Resource

# header → model field, and how a cell is read
FIELDS = [
    ("Название", "title", "text"),
    ("Адрес", "url", "url"),
    ("Соцсеть", "network", Network.choices),
    ("Официальная страница", "is_official", "bool"),
    ("Страница молодёжного совета", "is_youth_council", "bool"),
    ("Личная страница руководителя", "is_leader_page", "bool"),
    ("CMS", "cms", "text"),
    ("Яндекс.Метрика", "metrica_id", "text"),
    ("LiveInternet", "liveinternet", "bool"),
    ("Тип издания", "print_type", PrintType.choices),
    ("Периодичность", "periodicity", Periodicity.choices),
    ("Вид сервиса", "service_type", DigitalService.choices),
    ("Контакт", "contact", "text"),
    ("Дата", "date", "date"),
    ("Тираж / количество", "quantity", "int"),
    ("Ответственный", "responsible", "text"),
    ("Данные подтверждены", "confirmed_at", "date"),
    ("Открытый", "is_public", "bool"),
    ("Действует", "is_active", "bool_true"),
    ("Примечание", "note", "text"),
]
MAX_LENGTHS = {"title": 500, "url": 2000, "cms": 100, "metrica_id": 20, "contact": 300,
               "responsible": 300, "note": 5000}
UPDATABLE = [name for _, name, _ in FIELDS] + ["url_key", "search_text"]
KIND_CHOICES = tuple(Kind.choices)
DEFAULTS = {name: (None if Resource._meta.get_field(name).null
                   else Resource._meta.get_field(name).get_default()) for _, name, _ in FIELDS}
DEFAULTS["is_active"] = True


def _offered(how) -> tuple:
    """The values a column of FIELDS offers in the template's drop-down list."""
    if isinstance(how, list):
        return tuple(how)
    return YES_NO if how in ("bool", "bool_true") else ()


class ResourcesDataset(Dataset):
    key = "resources"
    title = "Ресурсы"
    order = 2
    columns = [
        SheetColumn("№", aliases=("id", "номер")),
        SheetColumn("№ организации"),
        SheetColumn("Организация", required=True),
        SheetColumn("Вид ресурса", required=True, aliases=("вид",), choices=KIND_CHOICES),
        *[SheetColumn(header, required=header == "Название", aliases=(
            ("адрес (url)", "url", "ссылка") if header == "Адрес" else ()),
            choices=_offered(how))
          for header, _, how in FIELDS],
    ]

    def export_rows(self, scope: Scope, queryset=None, **filters):
        qs = queryset if queryset is not None else Resource.objects.visible_to(scope).order_by(
            "organization__path", "kind", "title")
        if subtree := filters.get("subtree"):
            qs = qs.filter(subtree_q(subtree.path, "organization__"))
        qs = qs.select_related("organization")
        for r in qs.iterator(chunk_size=2000):
            row = [r.pk, r.organization_id, r.organization.display_name, r.get_kind_display()]
            for _, name, kind in FIELDS:
                value = getattr(r, name)
                if isinstance(kind, list):
                    value = dict(kind).get(value, "")
                elif kind in ("bool", "bool_true"):
                    value = "да" if value else "нет"
                row.append(value)
            yield row

    def plan(self, sheet, context: ImportContext, plan: ImportPlan) -> SheetPlan:
        result = SheetPlan(self, sheet.name)
        columns = self.column_map(sheet.headers)
        rows = list(sheet.rows)
        readers = [(n, RowReader(v, columns)) for n, v in rows]
        # Numbers from the file only ever address rows the importer may see or change.
        existing = (Resource.objects.editable_by(context.scope)
                    .select_related("organization")
                    .in_bulk(numbers_in(r.raw("№") for _, r in readers)))
        orgs = (Organization.objects.visible_to(context.scope)
                .in_bulk(numbers_in(r.raw("№ организации") for _, r in readers)))
        resolver = _OrgResolver(orgs, context)
        candidates: list[tuple[int, Resource, bool]] = []
        for number, reader in readers:
            try:
                resource, is_new = self._build(reader, existing, resolver, context)
            except RowProblem as problem:
                plan.add_error(RowError(sheet.name, number, problem.column, problem.message))
                continue
            candidates.append((number, resource, is_new))
        self._check_addresses(candidates, sheet.name, plan, context.scope)
        for _, resource, is_new in candidates:
            if is_new:
                result.creates.append(resource)
            elif resource._import_changed:
                result.updates.append(resource)
            else:
                result.unchanged += 1
            if resource.url_key:
                context.resources_by_ref[("url", resource.url_key)] = resource
            title_key = ("title", resource.title.casefold())
            # the same title twice in a file names no resource (None), only its number does
            context.resources_by_ref[title_key] = (
                None if title_key in context.resources_by_ref else resource)
        return result

    def _build(self, reader: RowReader, existing, resolver, context) -> tuple[Resource, bool]:
        ref = reader.convert("№", parse_int)
        if ref and ref not in existing:
            raise RowProblem("№", f"ресурса № {ref} нет среди тех, что вы можете изменять; "
                             "для нового ресурса оставьте «№» пустым")
        org = resolver.resolve(reader)
        kind = reader.choice("Вид ресурса", KIND_CHOICES, required=True)
        values = {"organization": org, "kind": kind}
        updating = bool(ref)
        for header, name, how in FIELDS:
            if header in reader.columns:
                values[name] = _read(reader, header, name, how)
            elif not updating:  # a column the file lacks leaves a stored value alone
                values[name] = DEFAULTS[name]
        resource = existing.get(ref) if ref else None
        is_new = resource is None
        if is_new:
            resource = Resource(**values)  # the database gives the number
            before = None
        else:
            before = {name: getattr(resource, name) for name in UPDATABLE}
            before["organization_id"] = resource.organization_id
            for name, value in values.items():
                setattr(resource, name, value)
        try:
            resource.clean()
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            header = next((h for h, n, _ in FIELDS if n == field), field)
            raise RowProblem(header, messages[0].rstrip(".")) from exc
        resource.search_text = " ".join([resource.title, resource.url_key or "",
                                         resource.responsible, resource.note]).casefold()
        if before is not None:
            after = {name: getattr(resource, name) for name in UPDATABLE}
            after["organization_id"] = resource.organization.pk
            resource._import_changed = after != before
        return resource, is_new

    @staticmethod
    def _check_addresses(candidates, sheet_name: str, plan: ImportPlan, scope: Scope) -> None:
        seen: dict[str, int] = {}
        keys = [r.url_key for _, r, _ in candidates if r.url_key]
        taken, hidden = {}, set()
        for start in range(0, len(keys), 900):
            for key, pk, path in (Resource.objects.filter(url_key__in=keys[start:start + 900])
                                  .values_list("url_key", "pk", "organization__path")):
                taken[key] = pk
                if not scope.can_read_path(path):
                    hidden.add(key)
        for number, resource, _ in candidates:
            key = resource.url_key
            if not key:
                continue
            if key in seen:
                plan.add_error(RowError(sheet_name, number, "Адрес",
                                        f"этот адрес уже встречается в строке {seen[key]}"))
            seen[key] = number
            owner = taken.get(key)
            if owner is not None and owner != resource.pk:
                plan.add_error(RowError(sheet_name, number, "Адрес", (
                    "этот адрес уже есть в реестре у другой организации; если ресурс "
                    "перешёл к вам, обратитесь к администратору" if key in hidden
                    else f"этот адрес уже есть в реестре (ресурс № {owner})")))

    def apply(self, sheet_plan: SheetPlan, context: ImportContext) -> None:
        user = context.acting_user
        for resource in sheet_plan.creates + sheet_plan.updates:
            resource.organization = resource.organization  # re-bind: the org may be new
        if sheet_plan.updates:
            bulk_update_with_history(sheet_plan.updates, Resource,
                                     [*UPDATABLE, "organization"], batch_size=1000,
                                     default_user=user, default_change_reason="Импорт таблицы")
        if sheet_plan.creates:
            creates = sheet_plan.creates
            stamp_timestamps(creates, "created_at", "updated_at")
            for resource in creates:
                resource.organization_id = resource.organization.pk
            bulk.insert(Resource, creates)
            bulk.insert_history(Resource, creates, user=user, reason="Импорт таблицы")


def _read(reader: RowReader, header: str, name: str, how):
    if isinstance(how, list):
        return reader.choice(header, how)
    if how == "text":
        return reader.text(header, max_length=MAX_LENGTHS.get(name, 500))
    if how == "url":
        return reader.text(header, max_length=2000)
    if how == "bool":
        return reader.convert(header, lambda v: False if v in (None, "") else parse_bool(v))
    if how == "bool_true":
        return reader.convert(header, lambda v: True if v in (None, "") else parse_bool(v))
    if how == "date":
        return reader.convert(header, parse_date)
    if how == "int":
        return reader.convert(header, parse_int)
    raise AssertionError(how)


class _OrgResolver:
    """The owner of a row: by number (in the file or the database), else by name."""

    def __init__(self, orgs_by_id, context: ImportContext):
        self.orgs_by_id = orgs_by_id
        self.context = context
        self.names = NameLookup()
        self.cache: dict[str, Organization] = {}
        for org in context.orgs_by_ref.values():
            self.names.add(org)

    def resolve(self, reader: RowReader) -> Organization:
        ref = reader.convert("№ организации", parse_int)
        name = reader.text("Организация")
        org = None
        if ref:
            org = self.orgs_by_id.get(ref)  # only organizations the importer can see
            if org is None and not name:
                raise RowProblem("№ организации", f"организации № {ref} нет среди тех, что "
                                 "вам видны")
        if org is None:
            if not name:
                raise RowProblem("Организация", "не заполнено")
            if name not in self.cache:
                found = self.names.find(name, self.context.scope)
                if found is None:
                    raise RowProblem("Организация", f"организация «{name}» не найдена в "
                                     "реестре; проверьте название или добавьте её на лист "
                                     "«Организации»")
                self.cache[name] = found
            org = self.cache[name]
        if org.pk and not self.context.scope.can_edit(org):
            raise RowProblem("Организация", f"«{org}» не входит в вашу зону ответственности")
        return org
