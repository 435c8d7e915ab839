"""URL normalization: one key per resource, whatever way a person typed its address.

`https://www.Site.ru/` and `http://site.ru` are one site; `vk.com/club123`, `vk.com/public123`
and `m.vk.com/event123` are one VK community; `t.me/s/name`, `@name` and `telegram.me/Name`
are one Telegram channel. The key has no scheme: HTTP and HTTPS versions are the same resource.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

MAX_URL_LENGTH = 2000

VK_HOSTS = {"vk.com", "vk.ru", "m.vk.com", "m.vk.ru", "vkontakte.ru", "new.vk.com"}
OK_HOSTS = {"ok.ru", "m.ok.ru", "odnoklassniki.ru", "www.odnoklassniki.ru"}
TELEGRAM_HOSTS = {"t.me", "telegram.me", "telegram.dog"}
NETWORK_HOSTS = {
    "dzen.ru": "dzen", "zen.yandex.ru": "dzen",
    "rutube.ru": "rutube",
    "youtube.com": "youtube", "m.youtube.com": "youtube", "youtu.be": "youtube",
    "max.ru": "max",
}
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|_openstat|from)$", re.I)
VK_NUMERIC = re.compile(r"^(club|public|event)(\d+)$")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InvalidUrl(ValueError):
    """The text cannot be a web address; the message is for the user, in Russian."""


@dataclass(frozen=True)
class NormalizedUrl:
    url: str  # canonical address to store and open
    key: str  # unique key: no scheme, no www, no trailing slash
    network: str  # "" for a website, else vk / ok / telegram / dzen / …


def normalize_url(raw: str, *, network_hint: str = "") -> NormalizedUrl:
    text = (raw or "").strip()
    if not text:
        raise InvalidUrl("Адрес не указан.")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"Адрес слишком длинный: больше {MAX_URL_LENGTH} символов.")
    if any(ch.isspace() for ch in text):
        raise InvalidUrl("В адресе не должно быть пробелов.")
    if text.startswith("@") and network_hint in ("", "telegram"):
        text = "t.me/" + text[1:]
    if "://" not in text:
        # "site.ru:8080/x" is a host and port; "javascript:1", "mailto:x" are other schemes
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I) and not re.match(
                r"^[^:/]+\.[^:/]+:\d+", text):
            raise InvalidUrl("Адрес должен начинаться с http:// или https://.")
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidUrl("Адрес должен начинаться с http:// или https://.")
    host = _clean_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl("В адресе указан неверный номер порта.") from exc
    if parts.username or parts.password:
        raise InvalidUrl("Адрес не должен содержать логин или пароль.")
    bare = host[4:] if host.startswith("www.") else host

    if bare in VK_HOSTS:
        return _social("vk", "vk.com", _vk_path(parts.path))
    if bare in OK_HOSTS:
        return _social("ok", "ok.ru", _ok_path(parts.path))
    if bare in TELEGRAM_HOSTS:
        return _social("telegram", "t.me", _telegram_path(parts.path))

    netloc = bare if port in (None, 80, 443) else f"{bare}:{port}"
    path = _clean_path(parts.path)
    query = _clean_query(parts.query)
    tail = path + (f"?{query}" if query else "")
    display_host = _display_host(bare)
    display_netloc = display_host if port in (None, 80, 443) else f"{display_host}:{port}"
    return NormalizedUrl(
        url=f"{scheme}://{display_netloc}{tail or '/'}",
        key=f"{netloc}{tail}",
        network=NETWORK_HOSTS.get(bare, ""),
    )


# --- helpers --------------------------------------------------------------------------------

def _clean_host(host: str) -> str:
    host = host.strip(".").lower()
    if not host:
        raise InvalidUrl("В адресе нет имени сайта.")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidUrl("Имя сайта содержит недопустимые символы.") from exc
    labels = ascii_host.split(".")
    is_ip = all(label.isdigit() for label in labels) and len(labels) == 4
    if not is_ip and (len(labels) < 2 or not all(HOST_LABEL.match(x) for x in labels)):
        raise InvalidUrl(f"«{host}» не похоже на имя сайта: нужен домен вида site.ru.")
    if not is_ip and labels[-1].isdigit():
        raise InvalidUrl(f"«{host}» не похоже на имя сайта: нужен домен вида site.ru.")
    return ascii_host


def _display_host(ascii_host: str) -> str:
    try:
        return ascii_host.encode("ascii").decode("idna")
    except UnicodeError:
        return ascii_host


def _clean_path(path: str) -> str:
    path = quote(unquote(path), safe="/%:@!$&'()*+,;=-._~")
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/")


def _clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k)]
    return urlencode(sorted(pairs))


def _first_segment(path: str) -> list[str]:
    return [s for s in unquote(path).split("/") if s]


def _social(network: str, host: str, handle: str) -> NormalizedUrl:
    key = f"{host}/{handle}"
    return NormalizedUrl(url=f"https://{key}", key=key, network=network)


def _vk_path(path: str) -> str:
    segments = _first_segment(path)
    if not segments:
        raise InvalidUrl("Укажите адрес страницы ВКонтакте, например vk.com/club123.")
    name = segments[0].lower()
    match = VK_NUMERIC.match(name)
    if match:
        return f"club{match.group(2)}"
    if not re.fullmatch(r"[a-z0-9_.]{2,64}", name):
        raise InvalidUrl(f"«{segments[0]}» не похоже на адрес страницы ВКонтакте.")
    return name


def _ok_path(path: str) -> str:
    segments = _first_segment(path)
    if not segments:
        raise InvalidUrl("Укажите адрес группы в Одноклассниках, например ok.ru/group/123.")
    first = segments[0].lower()
    if first in ("group", "profile") and len(segments) > 1 and segments[1].isdigit():
        return f"{first}/{segments[1]}"
    if first.startswith("group") and first[5:].isdigit():
        return f"group/{first[5:]}"
    if not re.fullmatch(r"[a-z0-9_.-]{2,64}", first):
        raise InvalidUrl(f"«{segments[0]}» не похоже на адрес группы в Одноклассниках.")
    return first


def _telegram_path(path: str) -> str:
    segments = _first_segment(path)
    if segments and segments[0].lower() == "s":
        segments = segments[1:]
    if not segments:
        raise InvalidUrl("Укажите адрес канала Telegram, например t.me/profsoyuz.")
    name = segments[0]
    if name.startswith("+") or name.lower() == "joinchat":
        raise InvalidUrl(
            "Это ссылка-приглашение в закрытый чат Telegram: укажите публичный адрес t.me/имя."
        )
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", name):
        raise InvalidUrl(f"«{name}» не похоже на имя канала Telegram.")
    return name.lower()
