"""Template helpers: server-rendered SVG charts (no JavaScript, no external assets)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from profinfo import formatting

register = template.Library()

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 640, 220, 64, 36, 14, 16


@register.filter
def number(value) -> str:
    return formatting.number(value)


@register.filter
def percent(value) -> str:
    """A fraction as the union shows engagement: 0.0134 → «1,34 %»."""
    return formatting.percent(value)


@register.filter
def isodate(value):
    """An ISO 8601 string kept in JSON details → a datetime for the `date` filter."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    from django.utils import timezone

    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


@register.filter
def failure(code: str) -> str:
    """A check's error code as a person reads it («dns» → «адрес не найден»)."""
    from profinfo.monitoring.fetcher import error_label

    return error_label(code)


@register.simple_tag
def cells(row, columns) -> str:
    """A report row as table cells, numbers as a person reads them."""
    return format_html_join("", '<td{} data-label="{}">{}</td>', (
        (mark_safe(' class="num"') if column.kind != "text" else "", column.title,
         formatting.display(value, column.kind))
        for column, value in zip(columns, row, strict=True)))


@register.simple_tag
def line_chart(points: list[tuple[dt.date, float]], title: str = "") -> str:
    """A line chart of (date, value) points, with min/max labels and dated ticks."""
    if not points:
        return ""
    values = [v for _, v in points]
    low, high = min(0.0, min(values)), max(values)
    span = (high - low) or 1.0
    top_label, low_label = formatting.number(high), formatting.number(low)
    days = [d.toordinal() for d, _ in points]
    first, last = min(days), max(days)
    width_days = (last - first) or 1
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(day: int) -> float:
        if last == first:
            return PAD_LEFT + plot_w / 2
        return PAD_LEFT + (day - first) / width_days * plot_w

    def y(value: float) -> float:
        return PAD_TOP + plot_h - (value - low) / span * plot_h

    coords = [(x(d), y(v)) for d, v in zip(days, values, strict=True)]
    path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
    dots = "".join(
        format_html('<circle cx="{}" cy="{}" r="3.5"><title>{}: {}</title></circle>',
                    f"{cx:.1f}", f"{cy:.1f}", d.strftime("%d.%m.%Y"), formatting.number(v))
        for (cx, cy), (d, v) in zip(coords, points, strict=True)
    )
    ticks = "".join(
        format_html('<text x="{}" y="{}" text-anchor="middle">{}</text>', f"{x(day):.1f}",
                    HEIGHT - 12, dt.date.fromordinal(day).strftime("%d.%m.%Y"))
        for day in sorted({first, last})
    )
    return mark_safe(
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'font-size="12" fill="#5b6475">'
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - PAD_RIGHT}" '
        f'y2="{PAD_TOP + plot_h}" stroke="#d9dee7"/>'
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end">{top_label}</text>'
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" text-anchor="end">{low_label}</text>'
        f'<polyline points="{path}" fill="none" stroke="#1f4e9c" stroke-width="2"/>'
        f'<g fill="#1f4e9c">{dots}</g>{ticks}</svg>'
    )


@register.simple_tag
def bar_width(value, maximum) -> str:
    if not maximum:
        return "0"
    return f"{max(2.0, 100.0 * float(value) / float(maximum)):.1f}"


@register.filter
def minutes(delta) -> int:
    """A timedelta in whole minutes, rounded up (the lock of a login: «через 15 мин»)."""
    if delta is None:
        return 0
    return max(1, -(-int(delta.total_seconds()) // 60))
