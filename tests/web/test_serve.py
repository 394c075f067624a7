"""`weijian serve`: gunicorn with bounded workers (a timeout, recycling after N requests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.core.management import call_command

from weijian.web.management.commands import serve


def test_gunicorn_takes_the_timeout_and_recycling_settings():
    config = serve._Gunicorn(None, serve.gunicorn_options("127.0.0.1", 8000, 2, 60, 1000)).cfg
    assert (config.timeout, config.graceful_timeout, config.workers) == (60, 30, 2)
    # recycled after 1 000 requests, plus up to 100 (10 %) so the two workers do not restart together
    assert (config.max_requests, config.max_requests_jitter) == (1000, 100)
    assert config.bind == ["127.0.0.1:8000"]


def test_the_command_reads_its_defaults_and_the_environment(monkeypatch, settings):
    settings.SECRET_KEY = "a-test-key-so-serving-is-allowed"  # the default key is refused
    started = []
    monkeypatch.setattr(serve._Gunicorn, "run", lambda self: started.append(self.options))
    call_command("serve", port=8401)
    assert started[-1]["timeout"] == 60 and started[-1]["max_requests"] == 1000
    call_command("serve", port=8401, timeout=30, max_requests=0)
    assert (started[-1]["timeout"], started[-1]["graceful_timeout"]) == (30, 30)
    assert (started[-1]["max_requests"], started[-1]["max_requests_jitter"]) == (0, 0)
    monkeypatch.setenv("WEB_TIMEOUT", "45")
    monkeypatch.setenv("WEB_MAX_REQUESTS", "500")
    call_command("serve", port=8401)
    assert (started[-1]["timeout"], started[-1]["max_requests_jitter"]) == (45, 50)


def test_a_real_server_recycles_its_worker_after_max_requests(tmp_path):
    """The settings reach gunicorn: one worker, recycled after 2 requests, says so in its log."""
    weijian = Path(sys.executable).parent / "weijian"
    env = {**os.environ, "WEIJIAN_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1",
           "WEIJIAN_SECRET_KEY": "a-test-key-so-serving-is-allowed"}  # fmt: skip
    command = [str(weijian), "serve", "--port", "0", "--workers", "1", "--max-requests", "2"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        port = _listening_port(server)
        for _ in range(3):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=30) as response:
                assert response.status == 200
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    assert "Autorestarting worker after current request" in log


def _listening_port(server: subprocess.Popen) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
        if found:
            return int(found.group(1))
        assert server.poll() is None, "weijian serve stopped"
    raise AssertionError("weijian serve did not start listening")
