"""Turning the bytes of a Russian web page into text.

Order: the charset of the HTTP header, then `<meta charset>` / `http-equiv`, then a byte
order mark, then strict UTF-8, then detection (charset-normalizer) among the encodings that
Russian sites use. A page in windows-1251 or KOI8-R that declares nothing comes out readable.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
CYRILLIC_ENCODINGS = ["utf_8", "cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic"]


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def detect_encoding(content: bytes, content_type: str = "") -> str:
    match = HEADER_CHARSET.search(content_type or "")
    if match and (name := _known(match.group(1))):
        return name
    match = META_CHARSET.search(content[:4096])
    if match and (name := _known(match.group(1).decode("ascii", "ignore"))):
        return name
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            return name
    try:
        content.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(content[:65536], cp_isolation=CYRILLIC_ENCODINGS).best()
    return _known(best.encoding) if best is not None else "cp1251"


def decode_html(content: bytes, content_type: str = "") -> tuple[str, str]:
    """The page's text and the encoding it was read with; bad bytes never raise."""
    encoding = detect_encoding(content, content_type)
    if encoding == "utf-8" and content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8):]
    return content.decode(encoding, errors="replace"), encoding
