"""The asyncio client against the real server: the same flows as the sync one."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from conftest import Server
from handoff import (
    AsyncHandoffClient,
    CaseEscalatedError,
    CaseStatus,
    CaseTakenOverError,
    HandoffProblemError,
    HandoffTimeoutError,
    Proposal,
    ToolCall,
    Verdict,
)

REFUND = Proposal("Refunded.", ToolCall("issue_refund", {"orderId": "B-1", "amount": 1450}), 0.5)


def test_async_submit_decide_and_wait(async_agent: AsyncHandoffClient, async_reviewer: AsyncHandoffClient) -> None:
    async def run() -> None:
        submitted = await async_agent.submit_case("action", summary="Refund", proposal=REFUND)
        waiting = asyncio.create_task(async_agent.wait_for_decision(submitted))
        await async_reviewer.claim(submitted.id)
        await async_reviewer.decide(submitted.id, Verdict.EDIT, arguments={"orderId": "B-1", "amount": 900}, note="partial")

        decided = await waiting

        assert decided.is_approved and decided.action == ToolCall("issue_refund", {"orderId": "B-1", "amount": 900})
        assert decided.decision.note == "partial"
        assert (await async_agent.get_case(submitted.id)).status == CaseStatus.APPROVED

    asyncio.run(run())


def test_async_many_waits_at_once_each_get_their_own_decision(async_agent: AsyncHandoffClient, async_reviewer: AsyncHandoffClient) -> None:
    async def run() -> None:
        cases = await asyncio.gather(*(async_agent.submit_case("action", summary=f"Refund {i}", proposal=REFUND) for i in range(5)))
        waits = [asyncio.create_task(async_agent.wait_for_decision(c)) for c in cases]
        for i, c in enumerate(cases):
            await async_reviewer.decide(c.id, "reject" if i % 2 else "approve", text="No." if i % 2 else None)

        decided = await asyncio.gather(*waits)

        assert [d.case_id for d in decided] == [c.id for c in cases]
        assert [d.is_approved for d in decided] == [True, False, True, False, True]

    asyncio.run(run())


def test_async_wait_by_case_id_and_a_rejection(server: Server, async_agent: AsyncHandoffClient, async_reviewer: AsyncHandoffClient) -> None:
    async def run() -> None:
        submitted = await async_agent.submit_case("action", summary="Refund", proposal=REFUND)
        await async_reviewer.decide(submitted.id, "reject", text="Outside the window.")

        decided = await AsyncHandoffClient(server.url, server.agent_key).wait_for_decision(submitted.id, REFUND)

        assert (decided.status, decided.decision.text) == (CaseStatus.REJECTED, "Outside the window.")

    asyncio.run(run())


def test_async_wait_on_an_escalated_case_raises_and_keeps_waiting_when_asked(async_agent: AsyncHandoffClient, async_reviewer: AsyncHandoffClient) -> None:
    async def run() -> None:
        submitted = await async_agent.submit_case("action", summary="Refund", proposal=REFUND, expires_in=1, on_timeout="escalate")
        with pytest.raises(CaseEscalatedError):
            await async_agent.wait_for_decision(submitted)
        await async_reviewer.decide(submitted.id, "approve")

        decided = await async_agent.wait_for_decision(submitted, keep_waiting_when_escalated=True)

        assert decided.is_approved

    asyncio.run(run())


def test_async_wait_on_a_taken_over_case_raises_taken_over(server: Server, async_agent: AsyncHandoffClient) -> None:
    async def run() -> None:
        submitted = await async_agent.submit_case("action", summary="Refund", proposal=REFUND)
        await asyncio.to_thread(server.call, "POST", f"/v1/cases/{submitted.id}/takeover", server.reviewer_key)

        with pytest.raises(CaseTakenOverError):
            await async_agent.wait_for_decision(submitted)
        message = await async_agent.post_customer_message(submitted.id, "Hello?")
        news = await async_agent.wait_for_messages(submitted.id)
        assert [m.number for m in news.messages] == [message.number] and news.status == CaseStatus.TAKEN_OVER

    asyncio.run(run())


def test_async_wait_with_a_timeout_raises_timeout(server: Server) -> None:
    async def run() -> None:
        agent = AsyncHandoffClient(server.url, server.agent_key, long_poll_wait=1)
        submitted = await agent.submit_case("action", summary="Refund", proposal=REFUND)
        with pytest.raises(HandoffTimeoutError):
            await agent.wait_for_decision(submitted, timeout=1)

    asyncio.run(run())


def test_async_replay_and_a_reused_key(async_agent: AsyncHandoffClient) -> None:
    async def run() -> None:
        key = f"async-{uuid.uuid4().hex}"
        first = await async_agent.submit_case("action", summary="Refund", proposal=REFUND, idempotency_key=key)
        again = await async_agent.submit_case("action", summary="Refund", proposal=REFUND, idempotency_key=key)
        with pytest.raises(HandoffProblemError) as raised:
            await async_agent.submit_case("action", summary="Another", proposal=REFUND, idempotency_key=key)

        assert again.id == first.id and again.replayed and not first.replayed
        assert raised.value.status == 422 and "Idempotency-Key" in raised.value.errors

    asyncio.run(run())
