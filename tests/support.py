"""Helpers for tests that run real worker processes against the real broker."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from streams.demo import fetch_json

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEED_HTML = FIXTURES / "board-repost-asiae-msit-motie.html"
SEED_EXPECTED = FIXTURES / "board-repost-asiae-msit-motie.expected.json"
# The seed's expected.json says paragraph_count 12: the 13 <p> elements of its article body less the
# byline, which counts the two empty <p class="link_figure"> image holders. A reader sees 10 body
# paragraphs (DESIGN.md: paragraphs hold no captions, bylines or markup), the first and last of
# which are the expected ones; the two captions are in `captions`.
SEED_BODY_PARAGRAPHS = 10


def isolated_env(bootstrap: str, home: Path, prefix: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a worker or client with its own app id, state folder and topic names."""
    prefix = prefix or f"t{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "KAFKA_"))}
    env.update({
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "NEWSROOM_HOME": str(home),
        "NEWSROOM_APP_ID": f"{prefix}-app",
        "NEWSROOM_TOPIC_RAW": f"{prefix}.raw",
        "NEWSROOM_TOPIC_CLEANED": f"{prefix}.cleaned",
        "NEWSROOM_TOPIC_ENRICHED": f"{prefix}.enriched",
        "NEWSROOM_TOPIC_DEADLETTER": f"{prefix}.deadletter",
        "NEWSROOM_TOPIC_ALERTS": f"{prefix}.alerts",
        "NEWSROOM_TOPIC_COUNTS": f"{prefix}.counts",
        "NEWSROOM_MINISTRY_TOPIC_PREFIX": f"{prefix}.ministry.",
        "NEWSROOM_TOPIC_TOPIC_PREFIX": f"{prefix}.topic.",
        "NEWSROOM_LOG_LEVEL": "info",
    })
    env.update(extra)
    return env


class WorkerProcess:
    """A real `newsroom worker` process (python -m streams.cli worker)."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_timeout: float = 90.0) -> "WorkerProcess":
        env = dict(self.env, NEWSROOM_WEB_PORT=str(self.port))
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env, cwd=ROOT,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                fetch_json(f"{self.url}/healthz", timeout=1.0)
                return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"worker web server did not come up:\n{self.log_tail()}")

    def get(self, path: str):
        return fetch_json(f"{self.url}{path}", timeout=5.0)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        os.killpg(self.proc.pid, sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.5, message: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except OSError as exc:  # web server busy or restarting
            last = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {last!r}")
