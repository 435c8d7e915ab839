"""Local stand-ins for the VK, OK, Telegram and Метрика services, each on its own loopback
address, answering with the recorded responses in tests/fixtures/platforms (platforms.md)."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "platforms"
VK_TOKEN, OK_KEY, OK_SECRET, METRICA_TOKEN = "vk-test-token", "CBAKEY", "ok-secret", "ym-token"


def fixture(name: str):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else text


class _Handler(BaseHTTPRequestHandler):
    server: PlatformServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._answer(parse_qs(urlsplit(self.path).query))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(parse_qs(self.rfile.read(length).decode()))

    def _answer(self, query):
        params = {k: v[0] for k, v in query.items()}
        path = urlsplit(self.path).path
        self.server.calls.append((path, params))
        status, body, headers = self.server.route(self, path, params)
        data = body if isinstance(body, bytes) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        self.send_response(status)
        content_type = "text/html; charset=utf-8" if isinstance(body, str) \
            else "application/json; charset=utf-8"
        for name, value in {"Content-Type": content_type, **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class PlatformServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str):
        super().__init__((address, 0), _Handler)
        self.calls: list[tuple[str, dict]] = []

    @property
    def url(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}"

    def route(self, handler, path, params):  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


# --- ВКонтакте -------------------------------------------------------------------------------

VK_GROUPS = {  # name or id → how getById answers
    "profsoyuz_x": "vk_groups_getById_5199.json", "12345678": "vk_groups_getById_5199.json",
    "222": "vk_groups_getById_legacy.json", "club222": "vk_groups_getById_legacy.json",
    "333": "vk_groups_getById_deactivated.json",
}
VK_WALLS = {-12345678: "vk_wall_profsoyuz_x.json", -222: "vk_wall_club222.json",
            -77777: "vk_wall_repeated_item.json"}  # a post read twice (one arrived meanwhile)
VK_GROUP_ERRORS = {"bannedpage": 18, "dailylimit": 29}
VK_WALL_ERRORS = {-444: 15, -555: 30}  # closed walls


BUSY_OWNER = -666


def busy_wall(total: int = 250) -> dict:
    """A community posting every 4 hours: more posts in 30 days than one wall.get returns."""
    newest = 1716109200  # 2024-05-19 09:00 UTC
    template = fixture("vk_wall_profsoyuz_x.json")["response"]["items"][1]
    items = [{**template, "id": total - n, "owner_id": BUSY_OWNER, "from_id": BUSY_OWNER,
              "date": newest - n * 4 * 3600} for n in range(total)]
    return {"response": {"count": total, "items": items}}


class FakeVk(PlatformServer):
    """groups.getById (both shapes), wall.get, execute; error 6 for the first
    `too_many` calls; `execute_broken` makes execute fail as a whole."""

    def __init__(self, address="127.0.0.41"):
        super().__init__(address)
        self.too_many = 0
        self.execute_broken = False
        self.extra_groups: dict[str, dict] = {}  # name → group object (for closed walls)
        self.arrived = 0  # posts published after the first page was read: later pages shift

    def route(self, handler, path, params):
        if handler.headers.get("Authorization") != f"Bearer {VK_TOKEN}":
            return 200, fixture("vk_error_5.json"), {}
        if self.too_many > 0:
            self.too_many -= 1
            return 200, fixture("vk_error_6.json"), {}
        method = path.rsplit("/", 1)[-1]
        if method == "groups.getById":
            return 200, self._groups(params["group_ids"].split(",")), {}
        if method == "wall.get":
            return 200, self._wall(int(params["owner_id"]), int(params.get("offset", 0))), {}
        if method == "execute":
            return 200, self._execute(params["code"]), {}
        return 200, {"error": {"error_code": 3, "error_msg": "Unknown method passed"}}, {}

    def _groups(self, names):
        groups, legacy = [], False
        for name in names:
            if name in VK_GROUP_ERRORS:
                return fixture(f"vk_error_{VK_GROUP_ERRORS[name]}.json")
            if name in self.extra_groups:
                groups.append(self.extra_groups[name])
                continue
            if name not in VK_GROUPS:
                return fixture("vk_error_100.json")
            payload = fixture(VK_GROUPS[name])
            legacy = legacy or isinstance(payload["response"], list)
            groups.extend(payload["response"] if isinstance(payload["response"], list)
                          else payload["response"]["groups"])
        return {"response": groups} if legacy and len(names) == 1 else \
            {"response": {"groups": groups, "profiles": []}}

    def _wall(self, owner, offset):
        if owner in VK_WALL_ERRORS:
            return fixture(f"vk_error_{VK_WALL_ERRORS[owner]}.json")
        payload = busy_wall() if owner == BUSY_OWNER else fixture(VK_WALLS[owner])
        start = max(offset - self.arrived, 0) if offset else 0
        payload["response"]["items"] = payload["response"]["items"][start:start + 100]
        return payload

    def _execute(self, code):
        if self.execute_broken:
            return {"error": {"error_code": 13, "error_msg": "Runtime error occurred during "
                                                             "code invocation"}}
        calls = re.findall(r"API\.wall\.get\((\{.*?\})\)", code)
        if len(calls) > 25:
            return {"error": {"error_code": 13, "error_msg": "Too many API calls"}}
        answers, errors = [], []
        for call in calls:
            result = self._wall(int(json.loads(call)["owner_id"]), 0)
            if "error" in result:
                answers.append(False)
                errors.append({"method": "wall.get", **result["error"]})
            else:
                answers.append(result["response"])
        return {"response": answers, **({"execute_errors": errors} if errors else {})}


# --- Одноклассники ---------------------------------------------------------------------------

def ok_signature(params: dict) -> str:
    text = "".join(f"{k}={params[k]}" for k in sorted(params) if k != "sig") + OK_SECRET
    return hashlib.md5(text.encode()).hexdigest()


class FakeOk(PlatformServer):
    GROUPS = {"53038939046008": "ok_group_getInfo_list.json",
              "53038939046009": "ok_group_getInfo_groups.json"}
    NAMES = {"rosprofprom": "53038939046008"}

    def __init__(self, address="127.0.0.42"):
        super().__init__(address)
        self.flood = False

    def route(self, handler, path, params):
        if params.get("application_key") != OK_KEY or params.get("sig") != ok_signature(params):
            return 200, fixture("ok_error_104.json"), {"invocation-error": "104"}
        if self.flood:
            return 200, fixture("ok_error_8.json"), {"invocation-error": "8"}
        method = params.get("method")
        if method == "url.getInfo":
            name = params["url"].rstrip("/").rsplit("/", 1)[-1]
            if name in self.NAMES:
                return 200, {"type": "GROUP", "objectId": int(self.NAMES[name])}, {}
            return 200, fixture("ok_error_300.json"), {"invocation-error": "300"}
        if method == "group.getInfo":
            if params["uids"] == "1":
                return 200, fixture("ok_error_10.json"), {"invocation-error": "10"}
            if params["uids"] not in self.GROUPS:
                return 200, fixture("ok_error_100.json"), {"invocation-error": "100"}
            return 200, fixture(self.GROUPS[params["uids"]]), {}
        if method == "mediatopic.getTopics":
            return 200, fixture("ok_mediatopic_getTopics.json"), {}
        return 200, {"error_code": 3, "error_msg": "METHOD : unknown"}, {}


# --- Telegram --------------------------------------------------------------------------------

class FakeTelegram(PlatformServer):
    def __init__(self, address="127.0.0.43"):
        super().__init__(address)

    def route(self, handler, path, params):
        parts = [p for p in path.split("/") if p]
        if parts == ["profsoyuz_tg"]:
            return 200, fixture("tg_info_profsoyuz_tg.html"), {}
        if parts == ["profgroup_chat"]:
            return 200, fixture("tg_info_profgroup_chat.html"), {}
        if parts == ["s", "profsoyuz_tg"]:
            name = "tg_s_profsoyuz_tg_before_95.html" if params.get("before") == "95" \
                else "tg_s_profsoyuz_tg.html"
            return 200, fixture(name), {}
        if parts == ["robots.txt"]:
            return 200, "User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}
        return 200, fixture("tg_info_missing.html"), {}  # t.me answers 200 for any name


# --- Яндекс.Метрика -------------------------------------------------------------------------

class FakeMetrica(PlatformServer):
    def __init__(self, address="127.0.0.44"):
        super().__init__(address)
        self.quota_exceeded = False

    def route(self, handler, path, params):
        if handler.headers.get("Authorization") != f"OAuth {METRICA_TOKEN}":
            return 403, fixture("metrica_error_403.json"), {}
        if self.quota_exceeded:
            return 429, fixture("metrica_error_429.json"), {}
        if path == "/stat/v1/data" and params.get("ids") == "44147844":
            return 200, fixture("metrica_data.json"), {}
        return 403, {"errors": [{"error_type": "access_denied", "message": "Access is denied"}],
                     "code": 403, "message": "Access is denied"}, {}
