"""Every file the web hands out goes through one helper: its type, its name, no caching."""

from __future__ import annotations

from django.http import HttpResponse

from profinfo.formatting import CONTENT_TYPES


def attachment(body: bytes, name: str, fmt: str) -> HttpResponse:
    """A download of `body` as «name.fmt» (an ASCII name; the page says what it is)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
