"""The README's quick starts, run as pasted against the real server; a person (the proxy's reviewer) decides at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Server
from handoff import HandoffClient
from standins import Proxy, deciding, then, unchanged

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)


def block(title: str) -> str:
    return next(b for b in BLOCKS if b.startswith(f"# {title}\n"))


def run(code: str, server: Server, reviewer: HandoffClient, monkeypatch: pytest.MonkeyPatch, verdict: str, **decision: object) -> None:
    with Proxy(server.url, alter=then(deciding(reviewer, verdict, **decision), unchanged)) as proxy:
        monkeypatch.setenv("HANDOFF_URL", proxy.url)
        monkeypatch.setenv("HANDOFF_AGENT_KEY", server.agent_key)
        exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})  # noqa: S102 - the README's own code


def test_docs_agents_quick_starts_are_the_readmes() -> None:
    guide = (Path(__file__).resolve().parents[3] / "docs" / "agents.md").read_text()
    copies = [b for b in re.findall(r"```python\n(.*?)```", guide, re.DOTALL) if b.startswith("# quick start: ")]

    assert len(copies) == 2
    for copy in copies:
        assert copy == block(copy.splitlines()[0].removeprefix("# ")), "docs/agents.md's copy differs from the README's"


def test_readme_every_python_block_compiles() -> None:
    assert len(BLOCKS) >= 5
    for code in BLOCKS:
        compile(code, "README.md", "exec")


def test_readme_sync_quick_start_runs_the_edited_call(server: Server, reviewer: HandoffClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run(block("quick start: sync"), server, reviewer, monkeypatch, "edit", arguments={"orderId": "B-11872", "amount": 900})

    assert "Running ToolCall(name='issue_refund', arguments={'orderId': 'B-11872', 'amount': 900})" in capsys.readouterr().out


def test_readme_async_quick_start_runs_the_approved_call(server: Server, reviewer: HandoffClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run(block("quick start: async"), server, reviewer, monkeypatch, "approve")

    assert "Cancelling {'orderId': 'A-20931'}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("verdict", "decision", "printed"),
    [
        ("approve", {}, "Refunded 1450 EUR on order B-11872."),
        ("edit", {"arguments": {"order_id": "B-11872", "amount": 900}}, "Refunded 900 EUR on order B-11872."),
        ("reject", {"text": "Outside the return window."}, "Not refunded: Outside the return window."),
    ],
)
def test_readme_decorator_quick_start(server: Server, reviewer: HandoffClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], verdict: str, decision: dict[str, object], printed: str) -> None:
    run(block("quick start: decorator"), server, reviewer, monkeypatch, verdict, **decision)

    assert printed in capsys.readouterr().out
