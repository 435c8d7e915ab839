"""ВКонтакте (API 5.199): a community's subscribers and its newest posts.

Parsing is pure (JSON in, data out) and reads both shapes of `groups.getById`. `VkClient`
makes the calls through the shared fetcher: the token travels in a header, calls are spaced
to the per-token rate, error 6 is retried with backoff, and whole runs batch communities —
many ids per `groups.getById`, up to 25 `wall.get` per `execute`, plain calls if `execute`
fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from .. import calculations as calc
from ..fetcher import Fetcher, FetchError
from .social import PlatformSettings, SocialPage, missing_setting

API_VERSION = "5.199"
WALL_PAGE = 100
WALL_PAGES_MAX = 5
EXECUTE_CALLS = 25  # VK's limit of API calls in one `execute`
IDS_PER_CALL = 400
RATE_RETRIES = 3

ERRORS = {
    5: ("auth", "ВКонтакте не принял ключ доступа (PROFINFO_VK_TOKEN): проверьте, что это "
                "действующий сервисный ключ приложения."),
    6: ("rate_limited", "ВКонтакте ограничил частоту запросов (слишком много запросов в "
                        "секунду)."),
    9: ("rate_limited", "ВКонтакте ограничил однотипные запросы (flood control)."),
    10: ("http_status", "Внутренняя ошибка ВКонтакте: проверка будет повторена позже."),
    14: ("rate_limited", "ВКонтакте требует ввести капчу: запросов было слишком много."),
    15: ("private", "Доступ запрещён: стена сообщества закрыта или доступна только "
                    "участникам."),
    17: ("auth", "ВКонтакте требует подтвердить ключ доступа."),
    18: ("not_found", "Страница удалена или заблокирована ВКонтакте."),
    19: ("private", "Содержимое недоступно: заблокировано ВКонтакте."),
    27: ("auth", "Ключ сообщества не подходит для этого запроса: нужен сервисный ключ."),
    28: ("auth", "Ключ приложения не принят ВКонтакте."),
    29: ("rate_limited", "Исчерпан суточный лимит запросов ВКонтакте: проверка будет "
                         "повторена завтра."),
    30: ("private", "Страница закрыта: её содержимое видно только участникам."),
    100: ("not_found", "Сообщество не найдено: проверьте адрес страницы ВКонтакте."),
    113: ("not_found", "Страница не найдена: проверьте адрес."),
    203: ("private", "Доступ к сообществу закрыт."),
}
DEACTIVATED = {"deleted": "Сообщество удалено.", "banned": "Сообщество заблокировано ВКонтакте."}


# --- pure parsing -------------------------------------------------------------------------

def api_error(payload, url: str = "") -> FetchError | None:
    if not isinstance(payload, dict) or "error" not in payload:
        return None
    error = payload["error"] if isinstance(payload["error"], dict) else {}
    return error_from(error, url)


def error_from(error: dict, url: str = "") -> FetchError:
    code = error.get("error_code")
    kind, message = ERRORS.get(code, ("http_status", ""))
    if not message:
        message = f"ВКонтакте ответил ошибкой {code}: {error.get('error_msg', '')}".strip()
    return FetchError(kind, message, url=url)


def parse_groups(payload) -> list[dict]:
    """`groups.getById`: {"response":{"groups":[…]}} (5.199) or {"response":[…]} (legacy)."""
    response = payload.get("response") if isinstance(payload, dict) else None
    if isinstance(response, dict):
        response = response.get("groups")
    if not isinstance(response, list):
        raise FetchError("parse", "ВКонтакте ответил в неизвестном формате (groups.getById).")
    return [g for g in response if isinstance(g, dict)]


def parse_wall(response) -> tuple[int, list[calc.Post]]:
    """`wall.get`'s response object → (total on the wall, published posts)."""
    if not isinstance(response, dict) or not isinstance(response.get("items"), list):
        raise FetchError("parse", "ВКонтакте ответил в неизвестном формате (wall.get).")
    posts = [post for item in response["items"] if (post := _post(item)) is not None]
    return int(response.get("count") or 0), calc.distinct(posts)


def _post(item) -> calc.Post | None:
    if not isinstance(item, dict) or item.get("post_type") in ("postpone", "suggest"):
        return None
    try:
        date = dt.datetime.fromtimestamp(int(item["date"]), dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
    return calc.Post(
        id=f"{item.get('owner_id', '')}_{item.get('id', '')}", date=date,
        likes=_count(item, "likes"), comments=_count(item, "comments"),
        reposts=_count(item, "reposts"),
        views=_count(item, "views") if isinstance(item.get("views"), dict) else None,
        pinned=bool(item.get("is_pinned")),
        text=str(item.get("text") or "")[:calc.TEXT_KEPT])


def _count(item: dict, key: str) -> int:
    value = item.get(key)
    number = value.get("count") if isinstance(value, dict) else value
    return int(number) if isinstance(number, int | float) and number >= 0 else 0


def group_id_of(handle: str) -> str:
    """The registry's handle (`club123` or a screen name) as groups.getById takes it."""
    return handle[4:] if handle.startswith("club") and handle[4:].isdigit() else handle


def describe_group(page: SocialPage, group: dict) -> None:
    page.title = str(group.get("name") or "")
    page.name = str(group.get("screen_name") or page.name)
    page.page_type = "community"
    if reason := group.get("deactivated"):
        page.error = FetchError("not_found", DEACTIVATED.get(reason, "Сообщество отключено."),
                                url=page.url)
        return
    members = group.get("members_count")
    page.subscribers = int(members) if isinstance(members, int) and members >= 0 else None


def wall_call(group: dict) -> dict:
    return {"owner_id": -int(group["id"]), "count": WALL_PAGE, "filter": "all"}


def _too_many(payload) -> bool:
    return isinstance(payload, dict) and isinstance(payload.get("error"), dict) \
        and payload["error"].get("error_code") == 6


# --- calls ---------------------------------------------------------------------------------

class VkClient:
    def __init__(self, fetcher: Fetcher, settings: PlatformSettings | None = None, *,
                 retry_delay: float = 1.0):
        self.fetcher = fetcher
        self.settings = settings or PlatformSettings()
        self.retry_delay = retry_delay
        # calls with one token share its pace across every client of the fetcher
        self._turn = ("vk:" + hashlib.sha256(self.settings.vk_token.encode()).hexdigest()[:16],
                      self.settings.vk_requests_per_second)

    async def call(self, method: str, **params):
        """One API method; error 6 is retried with backoff, other errors raise FetchError."""
        if not self.settings.vk_token:
            raise missing_setting("PROFINFO_VK_TOKEN")
        url = f"{self.settings.vk_api_url.rstrip('/')}/{method}"
        form = {k: str(v) for k, v in params.items()} | {"v": API_VERSION}
        headers = {"Authorization": f"Bearer {self.settings.vk_token}"}
        response, payload = await self.fetcher.api_call(
            url, form=form, headers=headers, turn=self._turn, busy=_too_many,
            busy_retries=RATE_RETRIES, busy_delay=self.retry_delay)
        error = api_error(payload, url)
        if error is None and response.status >= 400:
            error = FetchError("http_status", f"ВКонтакте ответил ошибкой {response.status}.",
                               url=url)
        if error is not None:
            raise error
        if not isinstance(payload, dict) or "response" not in payload:
            raise FetchError("parse", "ВКонтакте ответил без поля response.", url=url)
        return payload

    # one page ------------------------------------------------------------------------------
    async def page(self, url: str, handle: str, today: dt.date) -> SocialPage:
        return (await self.pages([(url, handle)], today))[0]

    # many pages ----------------------------------------------------------------------------
    async def pages(self, targets: list[tuple[str, str]], today: dt.date) -> list[SocialPage]:
        """Subscribers for many communities per call, then their walls through `execute`."""
        pages = [SocialPage("vk", url, name=handle) for url, handle in targets]
        try:
            groups = await self._groups([group_id_of(h) for _, h in targets])
        except FetchError as error:
            for page in pages:
                page.error = FetchError(error.code, error.message, url=page.url)
            return pages
        found: list[tuple[SocialPage, dict]] = []
        for page in pages:
            group = groups.get(group_id_of(page.name).lower())
            if group is None:
                page.error = FetchError("not_found", ERRORS[100][1], url=page.url)
                continue
            describe_group(page, group)
            if page.error is None:
                found.append((page, group))
        for start in range(0, len(found), EXECUTE_CALLS):
            await self._walls(found[start:start + EXECUTE_CALLS], today)
        return pages

    async def _groups(self, ids: list[str]) -> dict[str, dict]:
        """Groups by both their numeric id and screen name (lower case)."""
        result: dict[str, dict] = {}
        for start in range(0, len(ids), IDS_PER_CALL):
            chunk = ids[start:start + IDS_PER_CALL]
            try:
                payload = await self.call("groups.getById", group_ids=",".join(chunk),
                                          fields="members_count")
            except FetchError as error:
                if error.code != "not_found" or len(chunk) == 1:
                    raise
                for one in chunk:  # one bad name fails the whole call: ask one by one
                    try:
                        result.update(await self._groups([one]))
                    except FetchError as single:
                        if single.code != "not_found":
                            raise
                continue
            for group in parse_groups(payload):
                result[str(group.get("id"))] = group
                if group.get("screen_name"):
                    result[str(group["screen_name"]).lower()] = group
        return result

    async def _walls(self, batch: list[tuple[SocialPage, dict]], today: dt.date) -> None:
        answers = await self._execute_walls([group for _, group in batch]) \
            if len(batch) > 1 else None
        for index, (page, group) in enumerate(batch):
            try:
                if answers is not None and isinstance(answers[index], dict):
                    total, posts = parse_wall(answers[index])
                    page.posts = posts
                    await self._more_posts(page, group, total, today)
                else:  # a single page, a failed execute, or this call failed inside it
                    await self._wall(page, group, today)
            except FetchError as error:
                self._wall_failed(page, error)

    async def _execute_walls(self, groups: list[dict]) -> list | None:
        calls = ",".join(f"API.wall.get({json.dumps(wall_call(g))})" for g in groups)
        try:
            payload = await self.call("execute", code=f"return [{calls}];")
        except FetchError as error:
            if error.code == "auth":
                raise
            return None  # execute refused: fall back to plain calls
        answers = payload.get("response")
        if not isinstance(answers, list) or len(answers) != len(groups):
            return None
        return answers

    async def _wall(self, page: SocialPage, group: dict, today: dt.date) -> None:
        payload = await self.call("wall.get", **wall_call(group))
        total, page.posts = parse_wall(payload["response"])
        await self._more_posts(page, group, total, today)

    async def _more_posts(self, page: SocialPage, group: dict, total: int,
                          today: dt.date) -> None:
        """Read on while the oldest post read is still inside the last 30 days."""
        horizon = today - dt.timedelta(days=calc.POSTS_PER_WEEK_DAYS)
        offset = WALL_PAGE
        while (offset < total and offset < WALL_PAGE * WALL_PAGES_MAX and page.posts
               and min(p.date for p in page.posts).date() >= horizon):
            payload = await self.call("wall.get", **wall_call(group), offset=offset)
            _, more = parse_wall(payload["response"])
            if not more:
                break
            page.posts.extend(more)
            offset += WALL_PAGE
        page.posts = calc.newest(calc.distinct(page.posts), len(page.posts))

    @staticmethod
    def _wall_failed(page: SocialPage, error: FetchError) -> None:
        page.posts = []
        page.posts_note = error.message
        page.error = FetchError(error.code, error.message, url=page.url)
