"""A real HTTP server on 127.0.0.1 for ingest tests: routes map a path to a ``Route``.

``http.server`` in a thread, so it serves async (httpx) and sync (CLI) tests alike. The
``server`` fixture (``tests/conftest.py``) starts one per test.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers. ``statuses`` are served in turn (the last one repeats)."""

    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    statuses: list[int] = field(default_factory=lambda: [200])
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    send_length: bool = True
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.active = 0
        self.max_active: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server._serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        host = request.headers.get("Host", "")
        if not path.startswith("http") and host and host != self.base.removeprefix("http://"):
            path = f"http://{host}{path}"  # standing in for another host (routed by full URL)
        with self._lock:
            self.hits[path] += 1
            count = self.hits[path]
            self.requests.append((path, dict(request.headers)))
            self.active += 1
            self.max_active["all"] = max(self.max_active["all"], self.active)
        try:
            route = self.routes.get(path)
            if route is None:
                request.send_response(404)
                request.send_header("Content-Type", "text/html; charset=utf-8")
                body = "<html><body><h1>Không tìm thấy trang</h1></body></html>".encode()
                request.send_header("Content-Length", str(len(body)))
                request.end_headers()
                request.wfile.write(body)
                return
            if route.handler is not None:
                route.handler(request)
                return
            if route.delay:
                time.sleep(route.delay)
            status = route.statuses[min(count, len(route.statuses)) - 1]
            if route.etag and request.headers.get("If-None-Match") == route.etag:
                status = 304
            body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
            request.send_response(status)
            request.send_header("Content-Type", route.content_type)
            if route.etag:
                request.send_header("ETag", route.etag)
            for name, value in route.headers.items():
                request.send_header(name, value)
            if status == 304:
                request.end_headers()
                return
            if route.send_length:
                request.send_header("Content-Length", str(len(body)))
            else:
                request.send_header("Connection", "close")
            request.end_headers()
            try:
                request.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        finally:
            with self._lock:
                self.active -= 1

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
