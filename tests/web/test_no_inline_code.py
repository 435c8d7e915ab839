"""What the server must never hand out by itself.

The Content-Security-Policy allows styles and scripts from the app's own files only: a
template with an inline <style>, style="…" or <script> without src would be silently ignored
by the browser (a page that looks broken only in production)."""

import re
from pathlib import Path

import profinfo

TEMPLATES = Path(profinfo.__file__).parent / "web" / "templates"
INLINE = re.compile(r"<style\b|\sstyle\s*=|<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_templates_carry_no_inline_styles_or_scripts():
    found = [f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
             for path in sorted(TEMPLATES.rglob("*.html"))
             for match in INLINE.finditer(path.read_text())]
    assert not found, found



def test_uploaded_files_have_no_address_of_their_own(settings):
    """Not even with DEBUG on: attachments have guessable names, only views check readers."""
    import importlib

    import profinfo.urls

    settings.DEBUG = True
    try:
        patterns = importlib.reload(profinfo.urls).urlpatterns
        assert not any("media" in str(p.pattern) for p in patterns)
    finally:
        settings.DEBUG = False
        importlib.reload(profinfo.urls)
