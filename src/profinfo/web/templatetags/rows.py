"""Rows of the long tables (registry list, subdivisions), built in Python.

These tables are the hottest part of the busiest pages: per-cell template lookups and
{% url %} tags cost several times more than the queries behind them. Values are escaped
by format_html exactly as the template engine would escape them.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from profinfo.organizations.models import LEVEL_NAMES
from profinfo.registry.models import Kind, Network

register = template.Library()

KINDS = dict(Kind.choices)
NETWORKS = dict(Network.choices)
ARCHIVED = format_html(' <span class="badge">{}</span>', "архив")
PUBLIC = format_html(' <span class="badge ok">{}</span>', "открытый")


def _prefix(name: str) -> str:
    return reverse(name, args=[0])[:-2]  # "/resources/0/" -> "/resources/"


@register.simple_tag
def resource_rows(resources) -> str:
    resource_url, org_url = _prefix("resource-detail"), _prefix("org-detail")

    def row(r):
        kind = KINDS.get(r.kind, r.kind) + (f" · {NETWORKS.get(r.network)}" if r.network else "")
        address = format_html('<br><span class="small muted">{}</span>', r.url) if r.url else ""
        return (
            f"{resource_url}{r.pk}/", r.title, address,
            ARCHIVED if not r.is_active else "", PUBLIC if r.is_public else "", kind,
            f"{org_url}{r.organization_id}/", r.organization, r.responsible or "—",
        )

    return format_html_join(
        "\n",
        '<tr><td data-label="Ресурс"><a href="{}">{}</a>{}{}{}</td><td data-label="Вид">{}</td>'
        '<td data-label="Организация"><a href="{}">{}</a></td>'
        '<td data-label="Ответственный">{}</td></tr>',
        (row(r) for r in resources),
    )


@register.simple_tag
def organization_items(organizations) -> str:
    org_url = _prefix("org-detail")

    def item(o):
        details = LEVEL_NAMES.get(o.level, o.level)
        if o.numchild:
            details += f" · подразделений: {o.numchild}"
        details += f" · ресурсов: {o.resource_count}"
        return (f"{org_url}{o.pk}/", o, details, ARCHIVED if not o.is_active else "")

    return format_html_join(
        "\n", '<li><a href="{}">{}</a> <span class="muted small">{}</span>{}</li>',
        (item(o) for o in organizations),
    )
