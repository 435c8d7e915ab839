"""A farm of union sites for benchmarks and tests: each site on its own loopback address.

Sites serve the labelled corpus of the site auditor (round robin), every response after an
injected latency drawn deterministically from (site, path) so that every contender meets the
same delays, and a share of the sites is faulty: never answering, answering 500, resetting
the connection, sending an endless body, redirecting in a loop. With `--js-share`, a share of
the sound sites is built by JavaScript (a Tilda or SPA export: an empty application root and a
script that writes the page), for the rendering benchmark. Plain asyncio, no framework: one
process serves thousands of addresses.

    python -m bench.collect.farm --sites 1000 --port 18080   # prints the control URL
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import mimetypes
import signal
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "src/profinfo/monitoring/corpus"
FAULTS = ("timeout", "500", "reset", "huge", "loop")
CONTROL_ADDRESS = "127.0.0.2"
PROSE = ("Первичная профсоюзная организация защищает права работников завода, ведёт "
         "коллективные переговоры и помогает членам профсоюза. ") * 10
JS_SITE = {  # path → (body, content type): a page only a browser can read
    "/": ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" '
          'content="width=device-width, initial-scale=1"><title>Профком</title>'
          '<script src="/app.js"></script></head><body><div id="app"></div>'
          '<noscript>Включите JavaScript</noscript></body></html>', "text/html; charset=utf-8"),
    "/app.js": ("document.addEventListener('DOMContentLoaded', () => {"
                "document.getElementById('app').innerHTML = '<nav><a href=/rukovodstvo/>"
                "Руководство</a> <a href=/vopros/>Задать вопрос</a></nav><h1>Профком "
                "завода</h1><p>" + PROSE + "</p><p><a href=https://fnpr.ru/>ФНПР</a></p>';"
                "});", "application/javascript"),
    "/rukovodstvo/": ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
                      '<h1>Руководство</h1><p>Председатель профкома Иванов Иван Иванович</p>'
                      '<p>Заместитель Петрова Мария Сергеевна</p></body></html>',
                      "text/html; charset=utf-8"),
    "/vopros/": ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h1>Задать '
                 'вопрос</h1><form action="/send"><textarea name="question"></textarea>'
                 '<button>Отправить вопрос</button></form></body></html>',
                 "text/html; charset=utf-8"),
}


def site_address(index: int) -> str:
    return f"127.1.{index // 250}.{index % 250 + 1}"


def _unit(*parts) -> float:
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2 ** 64


class Farm:
    def __init__(self, sites: int, *, port: int, latency: tuple[float, float] = (0.1, 0.3),
                 faulty: float = 0.05, seed: int = 1, js_share: float = 0.0):
        self.sites, self.port, self.latency, self.seed = sites, port, latency, seed
        folders = sorted(p for p in CORPUS.iterdir() if (p / "labels.json").exists())
        self.pages = [self._load(folder) for folder in folders]
        self.fault = {i: FAULTS[n % len(FAULTS)]
                      for n, i in enumerate(i for i in range(sites)
                                            if _unit(seed, "fault", i) < faulty)}
        self.js_sites = {i for i in range(sites)
                         if i not in self.fault and _unit(seed, "js", i) < js_share}
        self.js_pages = {path: (body.encode(), kind) for path, (body, kind) in JS_SITE.items()}
        self.log: list[tuple[int, str, float]] = []  # (site, path, latency)
        self.servers: list[asyncio.AbstractServer] = []

    @staticmethod
    def _load(folder: Path) -> dict[str, tuple[bytes, str]]:
        pages = {}
        for file in folder.rglob("*"):
            if file.is_file() and file.name != "labels.json":
                path = "/" + str(file.relative_to(folder))
                kind = mimetypes.guess_type(file.name)[0] or "text/html"
                pages[path] = (file.read_bytes(), kind)
                if file.name == "index.html":
                    pages[path[: -len("index.html")]] = pages[path]
        return pages

    def url(self, index: int) -> str:
        return f"http://{site_address(index)}:{self.port}/"

    def delay(self, index: int, path: str) -> float:
        low, high = self.latency
        return low + (high - low) * _unit(self.seed, index, path)

    async def start(self) -> None:
        for index in range(self.sites):
            server = await asyncio.start_server(
                lambda r, w, i=index: self._serve(i, r, w), site_address(index), self.port,
                backlog=256, reuse_address=True)
            self.servers.append(server)
        self.servers.append(await asyncio.start_server(self._control, CONTROL_ADDRESS,
                                                       self.port))

    async def _serve(self, index: int, reader, writer) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
                delay = self.delay(index, path)
                self.log.append((index, path, delay))
                await asyncio.sleep(delay)
                if not await self._answer(index, path, writer):
                    return
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError,
                IndexError):
            pass
        finally:
            writer.close()

    async def _answer(self, index: int, path: str, writer) -> bool:
        fault = self.fault.get(index)
        if fault == "timeout":
            await asyncio.sleep(3600)
            return False
        if fault == "reset":
            writer.transport.abort()
            return False
        if fault == "500":
            return await self._send(writer, 500, b"<h1>Internal Server Error</h1>", "text/html")
        if fault == "loop":
            writer.write(f"HTTP/1.1 302 Found\r\nLocation: {path}\r\nContent-Length: 0\r\n\r\n"
                         .encode())
            await writer.drain()
            return True
        if fault == "huge" and path == "/":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
            chunk = b"<p>" + b"x" * 65533
            for _ in range(800):  # 50 MB unless the client gives up first
                writer.write(chunk)
                await writer.drain()
            return False
        pages = self.js_pages if index in self.js_sites else self.pages[index % len(self.pages)]
        body, kind = pages.get(path, (None, None))
        if body is None:
            return await self._send(writer, 404, b"Not found", "text/plain")
        return await self._send(writer, 200, body, kind)

    @staticmethod
    async def _send(writer, status: int, body: bytes, kind: str) -> bool:
        reason = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}[status]
        writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
        return True

    async def _control(self, reader, writer) -> None:
        """GET /stats → the request log; GET /reset clears it."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            if path == "/reset":
                self.log.clear()
            body = json.dumps({"requests": self.log, "faulty": self.fault,
                               "js_sites": sorted(self.js_sites)}).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
        finally:
            writer.close()


async def _main(args) -> None:
    farm = Farm(args.sites, port=args.port, latency=(args.min_latency, args.max_latency),
                faulty=args.faulty, js_share=args.js_share)
    await farm.start()
    print(f"ready http://{CONTROL_ADDRESS}:{args.port}/stats", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=args.lifetime)
    except TimeoutError:
        pass  # the farm stops by itself


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--min-latency", type=float, default=0.1)
    parser.add_argument("--max-latency", type=float, default=0.3)
    parser.add_argument("--faulty", type=float, default=0.05)
    parser.add_argument("--js-share", type=float, default=0.0,
                        help="share of the sites built by JavaScript")
    parser.add_argument("--lifetime", type=float, default=1800, help="seconds before it stops")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
