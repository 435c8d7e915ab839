"""Одноклассники: a group's members and its recent topics with their reactions.

Requests are signed without a session, as platforms.md describes: the parameters sorted by
name, written `k=v` with no separators, the application secret appended, MD5 in lower case.
`group.getInfo` is read in both shapes (a top-level list or {"groups": […]}); topics come from
`mediatopic.getTopics` (like_summary, discussion_summary, reshare_summary, created_ms).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .. import calculations as calc
from ..fetcher import Fetcher, FetchError
from .social import PlatformSettings, SocialPage, missing_setting

TOPICS_PAGE = 20
TOPICS_PAGES_MAX = 5

ERRORS = {
    1: ("http_status", "Неизвестная ошибка Одноклассников: проверка будет повторена."),
    2: ("http_status", "Сервис Одноклассников временно недоступен."),
    3: ("parse", "Одноклассники не знают такого метода API."),
    4: ("parse", "Одноклассники не приняли запрос."),
    7: ("rate_limited", "Одноклассники временно заблокировали действие."),
    8: ("rate_limited", "Одноклассники ограничили частоту запросов (flood control)."),
    9: ("rate_limited", "Одноклассники заблокировали запросы с этого адреса."),
    10: ("auth", "Приложению не выданы права на чтение групп (GROUP_CONTENT, VALUABLE_ACCESS)."),
    11: ("rate_limited", "Исчерпан лимит запросов к Одноклассникам."),
    100: ("not_found", "Группа не найдена: проверьте адрес в Одноклассниках."),
    101: ("auth", "Одноклассники не приняли ключ приложения (PROFINFO_OK_APP_KEY)."),
    102: ("auth", "Сессия Одноклассников истекла."),
    103: ("auth", "Одноклассники не приняли ключ сессии."),
    104: ("auth", "Одноклассники не приняли подпись запроса: проверьте "
                 "PROFINFO_OK_APP_SECRET."),
    105: ("auth", "Одноклассники требуют заново подписать запрос."),
    110: ("not_found", "Страница не найдена в Одноклассниках."),
    300: ("not_found", "Группа не найдена в Одноклассниках."),
}


# --- pure ----------------------------------------------------------------------------------

def signature(params: dict[str, str], secret: str) -> str:
    unsigned = {k: v for k, v in params.items() if k not in ("sig", "session_key",
                                                             "access_token")}
    text = "".join(f"{key}={unsigned[key]}" for key in sorted(unsigned)) + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest().lower()


def api_error(payload, url: str = "") -> FetchError | None:
    if not isinstance(payload, dict) or "error_code" not in payload:
        return None
    code = payload.get("error_code")
    kind, message = ERRORS.get(code, ("http_status", ""))
    if not message:
        message = f"Одноклассники ответили ошибкой {code}: {payload.get('error_msg', '')}"
    return FetchError(kind, message.strip(), url=url)


def parse_group_info(payload) -> dict | None:
    groups = payload.get("groups") if isinstance(payload, dict) else payload
    if not isinstance(groups, list):
        raise FetchError("parse", "Одноклассники ответили в неизвестном формате "
                                  "(group.getInfo).")
    return next((g for g in groups if isinstance(g, dict)), None)


def parse_topics(payload) -> tuple[list[calc.Post], str | None, bool]:
    """`mediatopic.getTopics` → (posts, anchor for the next page, whether there is more)."""
    if not isinstance(payload, dict):
        raise FetchError("parse", "Одноклассники ответили в неизвестном формате (темы).")
    items = payload.get("media_topics") or []
    posts = [post for item in items if (post := _post(item)) is not None]
    return calc.distinct(posts), payload.get("anchor"), bool(payload.get("has_more"))


def _post(item) -> calc.Post | None:
    if not isinstance(item, dict):
        return None
    try:
        date = dt.datetime.fromtimestamp(int(item["created_ms"]) / 1000, dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
    return calc.Post(
        id=str(item.get("id", "")), date=date,
        likes=_summary(item, "like_summary", "count"),
        comments=_summary(item, "discussion_summary", "comments_count"),
        reposts=_summary(item, "reshare_summary", "count"),
        pinned=any(bool(item.get(k)) for k in ("is_pinned", "pinned", "is_sticky")),
        text=_text(item))


def _text(item: dict) -> str:
    """The topic's text blocks, one after another (pictures and links have none)."""
    media = item.get("media") if isinstance(item.get("media"), list) else []
    parts = [str(m.get("text") or "") for m in media
             if isinstance(m, dict) and m.get("type") == "text"]
    return "\n".join(p for p in parts if p)[:calc.TEXT_KEPT]


def _summary(item: dict, block: str, key: str) -> int:
    value = (item.get(block) or {}).get(key) if isinstance(item.get(block), dict) else None
    return int(value) if isinstance(value, int | float) and value >= 0 else 0


def members_of(group: dict) -> int | None:
    for key in ("members_count", "MEMBERS_COUNT", "membersCount"):
        value = group.get(key)
        if isinstance(value, int | float) and value >= 0:
            return int(value)
        if isinstance(value, str) and value.isdigit():
            return int(value)
    return None


# --- calls ---------------------------------------------------------------------------------

class OkClient:
    def __init__(self, fetcher: Fetcher, settings: PlatformSettings | None = None):
        self.fetcher = fetcher
        self.settings = settings or PlatformSettings()

    async def call(self, method: str, **params):
        s = self.settings
        if not (s.ok_app_key and s.ok_app_secret):
            raise missing_setting("PROFINFO_OK_APP_KEY", "PROFINFO_OK_APP_SECRET")
        query = {"application_key": s.ok_app_key, "format": "json", "method": method,
                 **{k: str(v) for k, v in params.items()}}
        query["sig"] = signature(query, s.ok_app_secret)
        response, payload = await self.fetcher.get_json(s.ok_api_url, params=query)
        error = api_error(payload, s.ok_api_url)
        if error is None and response.headers.get("invocation-error"):
            error = api_error({"error_code": _int(response.headers["invocation-error"])},
                              s.ok_api_url)
        if error is not None:
            raise error
        if response.status >= 400:
            raise FetchError("http_status", f"Одноклассники ответили ошибкой "
                                            f"{response.status}.", url=s.ok_api_url)
        return payload

    async def page(self, url: str, handle: str, today: dt.date) -> SocialPage:
        page = SocialPage("ok", url, name=handle, page_type="group")
        try:
            gid = await self._group_id(handle)
            group = parse_group_info(await self.call(
                "group.getInfo", uids=gid, fields="uid,name,members_count"))
            if group is None:
                raise FetchError("not_found", ERRORS[300][1], url=url)
            page.title, page.subscribers = str(group.get("name") or ""), members_of(group)
        except FetchError as error:
            page.error = FetchError(error.code, error.message, url=url)
            return page
        try:
            page.posts = await self._topics(gid, today)
        except FetchError as error:
            page.posts_note = error.message
            page.error = FetchError(error.code, error.message, url=url)
        return page

    async def _group_id(self, handle: str) -> str:
        if handle.startswith("group/"):
            return handle.split("/", 1)[1]
        if handle.startswith("profile/"):
            raise FetchError("not_found", "Это личная страница, а не группа: личные страницы "
                                          "в Одноклассниках не проверяются.")
        info = await self.call("url.getInfo", url=f"https://ok.ru/{handle}")
        if not isinstance(info, dict) or str(info.get("type", "")).upper() != "GROUP":
            raise FetchError("not_found", ERRORS[300][1])
        return str(info.get("objectId"))

    async def _topics(self, gid: str, today: dt.date) -> list[calc.Post]:
        horizon = today - dt.timedelta(days=calc.POSTS_PER_WEEK_DAYS)
        posts: list[calc.Post] = []
        anchor = None
        for _ in range(TOPICS_PAGES_MAX):
            params = {"gid": gid, "count": TOPICS_PAGE, "fields": "media_topic.*"}
            if anchor:
                params["anchor"] = anchor
            more, anchor, has_more = parse_topics(await self.call("mediatopic.getTopics",
                                                                  **params))
            posts.extend(more)
            if not (has_more and anchor and more) or min(p.date for p in more).date() < horizon:
                break
        posts = calc.distinct(posts)  # a topic posted while paging shows up twice
        return calc.newest(posts, len(posts))


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None
