"""A small HTTP server on a loopback address with well-behaved and hostile pages."""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

GZIP_BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LoopbackServer

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 - one branch per behaviour is the clearest form here
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.server.requests.append((parts.path, dict(self.headers)))
        path = parts.path
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private\n")
        elif path in ("/", "/ok", "/private"):
            self._send(200, "<html><body>Профсоюз</body></html>".encode(),
                       {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/redirect-loop":
            self._send(302, headers={"Location": "/redirect-loop"})
        elif path == "/redirect":
            self._send(302, headers={"Location": query["to"][0]})
        elif path == "/big":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            sent = 0
            try:
                for _ in range(800):  # 50 MB
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
            self.server.sent[path] = sent
        elif path == "/big-declared":
            self._send(200, b"x" * 100, {"Content-Length": str(50 * 1024 * 1024)})
        elif path == "/hang":
            time.sleep(30)
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
            for stream in (self.rfile, self.wfile, self.connection):
                stream.close()  # with linger 0 the last close sends RST
        elif path == "/gzip-bomb":
            self._send(200, GZIP_BOMB, {"Content-Encoding": "gzip",
                                        "Content-Type": "text/html"})
        elif path == "/flaky":
            self.server.flaky_calls += 1
            if self.server.flaky_calls <= int(query.get("fail", ["2"])[0]):
                self._send(503, b"busy", {"Retry-After": "0"})
            else:
                self._send(200, b"finally")
        elif path == "/status":
            self._send(int(query["code"][0]), b"status")
        else:
            self._send(404, b"not found")


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str):
        super().__init__((host, 0), Handler)
        self.requests: list = []
        self.sent: dict[str, int] = {}  # bytes a streaming answer got out before the client left
        self.flaky_calls = 0

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
