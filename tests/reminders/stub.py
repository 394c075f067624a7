"""A stand-in for 企业微信 / 钉钉 group robots: an HTTP server on loopback that records what is
posted and answers as the robots do ({"errcode": 0, "errmsg": "ok"})."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class RobotStub:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answer = {"errcode": 0, "errmsg": "ok"}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                parts = urlsplit(self.path)
                stub.received.append(
                    {"path": parts.path, "query": parse_qs(parts.query), "body": body}
                )
                data = json.dumps(stub.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/cgi-bin/webhook/send?key=test-key") -> str:
        return f"http://{self.host}{path}"

    def texts(self) -> list[str]:
        return [r["body"]["text"]["content"] for r in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
