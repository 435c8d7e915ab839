"""A report is a table: typed columns, rows of values, and the chart people would rather see.

Everything that renders reports (web pages, XLSX, CSV, JSON, DOCX, the annual PPTX deck)
reads this one shape, so a report is written once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | int | float | percent | date


class NeedsOrganization(ValueError):
    """The report is about one organization and none was given; the message is for people."""


@dataclass(frozen=True)
class Chart:
    kind: str  # bar (horizontal) | column
    label_column: int  # the column whose values name the bars
    value_columns: tuple[int, ...]
    limit: int = 15  # bars shown: the first rows in the table's order


@dataclass
class Report:
    name: str  # the CLI name, e.g. "site-stats"
    title: str
    columns: list[Column]
    rows: list[list]
    period: tuple[dt.date, dt.date] | None = None
    subtitle: str = ""
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)
    # A report about one organization (its card): notes read as part of its heading, no link
    # to «all organizations», and further tables (`parts`) that belong with it in a file.
    about_one_organization: bool = False
    parts: list[Report] = field(default_factory=list)

    def as_dicts(self) -> list[dict]:
        """One object per row, keyed by the column headers (the JSON format of the CLI)."""
        return [{c.title: _plain(v) for c, v in zip(self.columns, row, strict=True)}
                for row in self.rows]

    def sorted_by(self, index: int, descending: bool) -> Report:
        def key(row):
            value = row[index]
            return (value is None, value if value is not None else 0)

        rows = sorted(self.rows, key=key, reverse=False)
        if descending:
            present = [r for r in rows if r[index] is not None][::-1]
            rows = present + [r for r in rows if r[index] is None]
        return replace(self, rows=rows)


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def period_text(period: tuple[dt.date, dt.date] | None) -> str:
    if not period:
        return ""
    return f"с {period[0]:%d.%m.%Y} по {period[1]:%d.%m.%Y}"
