"""Fail closed: a proxy between the SDK and the real server alters the decision, and the SDK refuses it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Server
from handoff import (
    AsyncHandoffClient,
    HandoffClient,
    Proposal,
    ProposalDigestMismatchError,
    ToolCall,
    proposal_digest,
    require_approval,
)
from standins import Proxy, deciding, then

REFUND = Proposal("Refunded.", ToolCall("issue_refund", {"orderId": "B-1", "amount": 1450}), 0.5)


def altering(change: Callable[[dict[str, Any]], None]) -> Callable[[str, str, int, bytes], bytes]:
    """Rewrites the decision of every 200 from GET /decision."""

    def alter(method: str, path: str, status: int, body: bytes) -> bytes:
        if method != "GET" or "/decision" not in path or status != 200:
            return body
        answer = json.loads(body)
        change(answer["decision"])
        return json.dumps(answer).encode()

    return alter


def another_proposal_digest(d: dict[str, Any]) -> None:
    d["proposalDigest"] = proposal_digest({"text": "Something else."})


def a_bigger_refund(d: dict[str, Any]) -> None:
    d["result"]["action"]["arguments"]["amount"] = 14500  # resultDigest left as it was


def a_bigger_refund_with_its_own_digest(d: dict[str, Any]) -> None:
    a_bigger_refund(d)
    d["resultDigest"] = proposal_digest(d["result"])  # consistent, but an approval must carry the proposal itself


def no_result_digest(d: dict[str, Any]) -> None:
    del d["resultDigest"]


def no_result(d: dict[str, Any]) -> None:
    del d["result"]
    del d["resultDigest"]


@pytest.mark.parametrize(
    ("change", "digest"),
    [
        (another_proposal_digest, "proposalDigest"),
        (a_bigger_refund, "resultDigest"),
        (a_bigger_refund_with_its_own_digest, "resultDigest"),
        (no_result_digest, "resultDigest"),
        (no_result, "resultDigest"),
    ],
)
def test_wait_for_decision_refuses_an_approval_that_was_altered(server: Server, reviewer: HandoffClient, change: Callable[[dict[str, Any]], None], digest: str) -> None:
    with Proxy(server.url, alter=altering(change)) as proxy:
        agent = HandoffClient(proxy.url, server.agent_key)
        submitted = agent.submit_case("action", summary="Refund", proposal=REFUND)
        reviewer.decide(submitted.id, "approve")

        with pytest.raises(ProposalDigestMismatchError) as raised:
            agent.wait_for_decision(submitted)

    assert (raised.value.case_id, raised.value.digest) == (submitted.id, digest)


def test_wait_for_decision_refuses_an_edit_whose_result_was_altered(server: Server, reviewer: HandoffClient) -> None:
    with Proxy(server.url, alter=altering(a_bigger_refund)) as proxy:
        agent = HandoffClient(proxy.url, server.agent_key)
        submitted = agent.submit_case("action", summary="Refund", proposal=REFUND)
        reviewer.decide(submitted.id, "edit", arguments={"orderId": "B-1", "amount": 900})

        with pytest.raises(ProposalDigestMismatchError) as raised:
            agent.wait_for_decision(submitted)

    assert raised.value.digest == "resultDigest"


def test_wait_for_decision_refuses_a_decision_about_another_proposal_than_the_one_given(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = agent.submit_case("action", summary="Refund", proposal=REFUND)
    reviewer.decide(submitted.id, "reject", text="No.")

    with pytest.raises(ProposalDigestMismatchError):
        agent.wait_for_decision(submitted.id, Proposal("Refunded.", ToolCall("issue_refund", {"orderId": "B-1", "amount": 1451}), 0.5))


def test_a_tool_whose_decision_was_altered_never_runs_and_sends_no_receipt(server: Server, reviewer: HandoffClient) -> None:
    ran: list[int] = []
    tamper = altering(a_bigger_refund)
    with Proxy(server.url, alter=then(deciding(reviewer, "approve"), tamper)) as proxy:
        agent = HandoffClient(proxy.url, server.agent_key)

        @require_approval(agent, confidence=0.5)
        def issue_refund(order_id: str, amount: int) -> None:
            ran.append(amount)

        with pytest.raises(ProposalDigestMismatchError) as raised:
            issue_refund("B-1", 1450)

    assert ran == []
    assert reviewer.get_case(raised.value.case_id).receipt is None


def test_async_wait_for_decision_refuses_an_altered_approval(server: Server, reviewer: HandoffClient) -> None:
    async def run() -> None:
        with Proxy(server.url, alter=altering(a_bigger_refund)) as proxy:
            agent = AsyncHandoffClient(proxy.url, server.agent_key)
            submitted = await agent.submit_case("action", summary="Refund", proposal=REFUND)
            reviewer.decide(submitted.id, "approve")
            with pytest.raises(ProposalDigestMismatchError):
                await agent.wait_for_decision(submitted)

    asyncio.run(run())
