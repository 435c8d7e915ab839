"""Small helpers that build users with roles on the demo tree."""

from django.contrib.auth import get_user_model

from profinfo.organizations.models import Organization, Role
from profinfo.organizations.services import membership_grant
from profinfo.registry.models import Resource


def org(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name)


def user_with(role: str | None, org_short: str | None = None, username: str = ""):
    username = username or f"{role or 'nobody'}-{org_short or 'none'}"
    user = get_user_model().objects.create_user(username=username, password="pass-12345")
    if role:
        membership_grant(user=user, org=org(org_short), role=role)
    return user


def resource_of(short_name: str, **filters) -> Resource:
    return Resource.objects.filter(organization__short_name=short_name, **filters).first()


def register(url: str, organization: str = "Пермская краевая", **fields) -> Resource:
    """A resource at `url` in the demo tree, checked as the model checks it (a site unless
    `kind` says otherwise; a social page gets a title from its address)."""
    fields.setdefault("kind", "site")
    if fields["kind"] == "social":
        fields.setdefault("title", "Страница " + url.rsplit("/", 1)[-1])
    resource = Resource(organization=org(organization), url=url, **fields)
    resource.full_clean(validate_unique=False, validate_constraints=False)
    resource.save()
    return resource


ADMIN, EDITOR, OBSERVER, EXPERT = Role.ADMIN, Role.EDITOR, Role.OBSERVER, Role.EXPERT


def report_sheet(content: bytes):
    """A report's XLSX read back as a person's program would: (its caption lines, its rows
    from the header on). The header is where the sheet's filter begins."""
    import io

    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = range_boundaries(sheet.auto_filter.ref)[1] if sheet.auto_filter.ref else 1
    return [r[0] for r in rows[:header - 1] if r and r[0]], rows[header - 1:]
