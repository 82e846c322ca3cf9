"""Connecting to the checked address keeps HTTPS right: the TLS server name and the Host header
are the URL's host, and the certificate is still verified against that name."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from ingest.addresses import trusted_origins
from ingest.errors import FetchError
from ingest.fetch import Fetcher, FetchPolicy


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for ``localhost`` only."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    if socket.getaddrinfo("localhost", 443, type=socket.SOCK_STREAM)[0][4][0] != "127.0.0.1":
        pytest.skip("localhost resolves to ::1 first here; the server listens on 127.0.0.1")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    seen: dict[str, list[str]] = {"sni": [], "host": [], "peer": []}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            seen["host"].append(self.headers.get("Host", ""))
            seen["peer"].append(self.client_address[0])
            body = "xin chào".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1], cert, seen
    httpd.shutdown()
    httpd.server_close()


async def test_https_by_address_sends_the_host_name_and_verifies_it(tls_server):
    port, cert, seen = tls_server
    client_context = ssl.create_default_context(cafile=str(cert))
    url = f"https://localhost:{port}/tin"
    policy = FetchPolicy(timeout=5, retries=0, respect_robots=False,
                         trusted=trusted_origins([url, f"https://127.0.0.1:{port}/"]))
    transport = httpx.AsyncHTTPTransport(verify=client_context)
    async with Fetcher(policy, transport=transport) as fetcher:
        fetched = await fetcher.get(url)
        assert fetched.text == "xin chào" and fetched.final_url == url
        # The same server by its address: the certificate names only localhost, so no.
        with pytest.raises(FetchError):
            await fetcher.get(f"https://127.0.0.1:{port}/tin")
    assert seen["sni"][0] == "localhost"
    assert seen["host"] == [f"localhost:{port}"] and seen["peer"] == ["127.0.0.1"]
