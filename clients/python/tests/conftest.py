"""A real Handoff server for the whole session, started from the built CLI, with one key per role.

HANDOFF_DLL names the CLI (default: the repo's Release build). The server gets its own data folder, a free port on
127.0.0.1 and the built-in policy's floor and high-value rule (cases below 0.75 confidence, or with facts.amount over
1000, go to a person), plus a rule that blocks the cases whose facts ask for it.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from handoff import AsyncHandoffClient, HandoffClient

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DLL = REPO / "src" / "Handoff.Cli" / "bin" / "Release" / "net10.0" / "handoff.dll"

POLICY = """\
defaults:
  confidenceFloor: 0.75
  lowConfidence: review
  team: support
rules:
  - id: high-value
    when:
      facts.amount: { gt: 1000 }
    outcome: review
    team: sales
    reason: Deals above 1,000 need a person's review.
  - id: blocked-by-test
    when:
      facts.block: { eq: true }
    outcome: block
    reason: The test asked for a block.
"""


@dataclass(frozen=True)
class Server:
    url: str
    agent_key: str
    reviewer_key: str
    admin_key: str
    data: Path

    def call(self, method: str, path: str, key: str, body: Any = None) -> tuple[int, Any]:
        """A raw request, for what the SDK does not do itself (takeover, handback, webhook endpoints)."""
        data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {key}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw) if raw else None


class TestTimedOut(BaseException):
    """A test ran past its time. A BaseException, so that no retry loop of the SDK takes it for a network error."""


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    # No test should take long; one that hangs (a stream that never resumes, say) fails instead of blocking the run.
    def expire(*_: object) -> None:
        raise TestTimedOut("The test ran for more than 120 s.")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _die_with_parent() -> None:
    # The server must not outlive a test run that was killed: ask Linux to stop it when pytest goes.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(dll: Path, *args: str) -> str:
    done = subprocess.run(["dotnet", str(dll), *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"handoff {' '.join(args)} failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout.strip().splitlines()[-1].strip()


def _ours(url: str, agent_key: str) -> bool:
    """Whether the server at url is ours: it knows our key (another server on a reused port would answer 401)."""
    request = urllib.request.Request(url + "/v1/cases/cs_readiness", headers={"Authorization": f"Bearer {agent_key}"})
    try:
        urllib.request.urlopen(request, timeout=5).close()
        return True
    except urllib.error.HTTPError as e:
        return e.code == 404
    except OSError:
        return False


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    dll = Path(os.environ.get("HANDOFF_DLL", DEFAULT_DLL))
    if not dll.is_file():
        raise RuntimeError(f"No Handoff CLI at {dll}: build it, or set HANDOFF_DLL.")
    data = tmp_path_factory.mktemp("handoff-data")
    keys = {role: _cli(dll, "keys", "create", "--data", str(data), "--role", role, "--name", f"python {role}") for role in ("agent", "reviewer", "admin")}
    policy = data / "policy.yaml"
    policy.write_text(POLICY)
    env = dict(os.environ)
    # Webhook deliveries go only to public addresses unless allowed: the receiver of these tests is on 127.0.0.1.
    env["Handoff__Webhooks__AllowedNetworks__0"] = "127.0.0.0/8"
    process: subprocess.Popen[bytes] | None = None
    log = data / "server.log"
    for _ in range(5):  # another process may take the free port between the check and the bind
        url = f"http://127.0.0.1:{free_port()}"
        with open(log, "ab") as out:
            process = subprocess.Popen(
                ["dotnet", str(dll), "serve", "--data", str(data), "--urls", url, "--policy", str(policy)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + 90
        while process.poll() is None and time.monotonic() < deadline and not _ours(url, keys["agent"]):
            time.sleep(0.2)
        if process.poll() is None and _ours(url, keys["agent"]):
            break
        process.kill()
        process.wait()
        process = None
    if process is None:
        raise RuntimeError(f"The Handoff server did not start; its log:\n{log.read_text()[-4000:]}")
    try:
        yield Server(url, keys["agent"], keys["reviewer"], keys["admin"], data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Pauses:
    """Stands in for time.sleep / asyncio.sleep: records each pause the client asks for and does not wait, so that
    retries are tested without sleeping and without reading a clock."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)

    async def aio(self, seconds: float) -> None:
        self.asked.append(seconds)


@pytest.fixture
def pauses() -> Pauses:
    return Pauses()


@pytest.fixture
def agent(server: Server, pauses: Pauses) -> HandoffClient:
    return HandoffClient(server.url, server.agent_key, long_poll_wait=5, sleep=pauses)


@pytest.fixture
def reviewer(server: Server) -> HandoffClient:
    return HandoffClient(server.url, server.reviewer_key)


@pytest.fixture
def async_agent(server: Server, pauses: Pauses) -> AsyncHandoffClient:
    return AsyncHandoffClient(server.url, server.agent_key, long_poll_wait=5, sleep=pauses.aio)


@pytest.fixture
def async_reviewer(server: Server) -> AsyncHandoffClient:
    return AsyncHandoffClient(server.url, server.reviewer_key)
