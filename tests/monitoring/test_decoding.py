import pytest

from profinfo.monitoring.decoding import decode_html

TEXT = ("<html><body><h1>Первичная профсоюзная организация</h1><p>Состав президиума, "
        "решения выборных органов, новости ФНПР и вопросы юристу.</p></body></html>")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-8"])
def test_undeclared_cyrillic_pages_come_out_readable(encoding):
    text, used = decode_html(TEXT.encode(encoding))
    assert "Первичная профсоюзная организация" in text, used


def test_header_charset_wins():
    text, used = decode_html(TEXT.encode("cp1251"), "text/html; charset=windows-1251")
    assert used == "cp1251" and "президиума" in text


def test_meta_charset():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=koi8-r"></head>' + TEXT).encode("koi8_r")
    text, used = decode_html(page)
    assert used == "koi8-r" and "юристу" in text


def test_bogus_declaration_falls_back():
    text, used = decode_html(TEXT.encode("utf-8"), "text/html; charset=x-unknown-9")
    assert used == "utf-8" and "ФНПР" in text


def test_broken_bytes_never_raise():
    text, _ = decode_html(b"\xff\xfe\x00\x81 garbage \xd0")
    assert isinstance(text, str)
