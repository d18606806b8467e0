"""@require_approval against the real server: a reviewer decides each case as soon as the server made it (through
a proxy step), and the guarded tool runs with what was decided, or not at all."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import pytest

from conftest import Server
from handoff import (
    AlreadyExecutedError,
    ApprovalRejectedError,
    AsyncHandoffClient,
    CaseStatus,
    ExecutionOutcome,
    HandoffClient,
    PolicyOutcome,
    ToolCall,
    Verdict,
    require_approval,
)
from standins import Proxy, deciding, then, unchanged


class Shop:
    def __init__(self) -> None:
        self.refunds: list[tuple[str, int]] = []


def guarded(server: Server, reviewer: HandoffClient, verdict: str, **decision: Any) -> tuple[Proxy, HandoffClient]:
    proxy = Proxy(server.url, alter=then(deciding(reviewer, verdict, **decision), unchanged))
    return proxy, HandoffClient(proxy.url, server.agent_key)


def case_of(proxy: Proxy, reviewer: HandoffClient) -> Any:
    created = [r for r in proxy.requests if r.method == "POST" and r.path.endswith("/v1/cases")]
    waits = [r for r in proxy.requests if "/decision?wait=" in r.path]
    return reviewer.get_case(waits[-1].path.split("/")[3]) if created and waits else None


def test_an_approved_call_runs_as_proposed_and_sends_the_executed_receipt(server: Server, reviewer: HandoffClient) -> None:
    shop = Shop()
    proxy, agent = guarded(server, reviewer, "approve")
    with proxy:

        @require_approval(agent, summary="Refund {amount} EUR on order {order_id}", facts=lambda a: {"amount": a["amount"]}, confidence=0.6)
        def issue_refund(order_id: str, amount: int = 1450) -> str:
            """Refund an order."""
            shop.refunds.append((order_id, amount))
            return f"refunded {amount}"

        assert issue_refund("B-11872") == "refunded 1450"
        case = case_of(proxy, reviewer)

    assert shop.refunds == [("B-11872", 1450)]
    assert case.summary == "Refund 1450 EUR on order B-11872" and case.facts == {"amount": 1450}
    assert case.proposal.action == ToolCall("issue_refund", {"order_id": "B-11872", "amount": 1450})
    assert case.proposal.confidence == 0.6
    assert case.receipt.outcome == ExecutionOutcome.EXECUTED and not case.receipt.mismatch
    assert issue_refund.__name__ == "issue_refund" and issue_refund.__doc__ == "Refund an order."


def test_an_edited_call_runs_with_the_persons_arguments_and_its_receipt_matches(server: Server, reviewer: HandoffClient) -> None:
    shop = Shop()
    proxy, agent = guarded(server, reviewer, "edit", arguments={"order_id": "B-11872", "amount": 900})
    with proxy:

        @require_approval(agent)
        def issue_refund(order_id: str, amount: int) -> None:
            """Refund an order."""
            shop.refunds.append((order_id, amount))

        issue_refund("B-11872", amount=1450)
        case = case_of(proxy, reviewer)

    assert shop.refunds == [("B-11872", 900)]
    assert case.summary == "Refund an order."  # the docstring's first line
    assert case.decision.verdict == Verdict.EDIT
    assert case.receipt.outcome == ExecutionOutcome.EXECUTED and not case.receipt.mismatch
    assert case.receipt.result_digest == case.decision.result_digest


def test_a_rejected_call_does_not_run_and_raises_with_the_reviewers_text(server: Server, reviewer: HandoffClient) -> None:
    shop = Shop()
    proxy, agent = guarded(server, reviewer, "reject", text="Outside the return window.")
    with proxy:

        @require_approval(agent, name="refund")
        def issue_refund(order_id: str, amount: int) -> None:
            shop.refunds.append((order_id, amount))

        with pytest.raises(ApprovalRejectedError) as raised:
            issue_refund("B-11872", 1450)
        case = case_of(proxy, reviewer)

    assert shop.refunds == []
    assert (raised.value.tool, raised.value.text, raised.value.status) == ("refund", "Outside the return window.", CaseStatus.REJECTED)
    assert "Outside the return window." in str(raised.value)
    assert case.proposal.action.name == "refund" and case.receipt is None


def test_a_rejected_call_with_on_reject_returns_it_instead(server: Server, reviewer: HandoffClient) -> None:
    proxy, agent = guarded(server, reviewer, "reject", text="No refunds today.")
    with proxy:
        flat = require_approval(agent, on_reject="not refunded")(lambda amount: "refunded")
        told = require_approval(agent, on_reject=lambda e: f"Rejected by a person: {e.text}")(lambda amount: "refunded")

        assert flat(amount=5) == "not refunded"
        assert told(amount=5) == "Rejected by a person: No refunds today."


def test_a_call_that_fails_sends_the_failed_receipt_and_raises_the_tools_exception(server: Server, reviewer: HandoffClient) -> None:
    proxy, agent = guarded(server, reviewer, "approve")
    with proxy:

        @require_approval(agent)
        def issue_refund(order_id: str, amount: int) -> None:
            raise ValueError("The payment provider refused: card expired.")

        with pytest.raises(ValueError, match="card expired"):
            issue_refund("B-11872", 1450)
        case = case_of(proxy, reviewer)

    assert case.receipt.outcome == ExecutionOutcome.FAILED
    assert case.receipt.reason == "The tool failed: ValueError: The payment provider refused: card expired."


def test_an_edit_that_drops_a_required_argument_fails_the_call_and_its_receipt(server: Server, reviewer: HandoffClient) -> None:
    proxy, agent = guarded(server, reviewer, "edit", arguments={"order_id": "B-11872"})
    with proxy:

        @require_approval(agent)
        def issue_refund(order_id: str, amount: int) -> None:
            pass

        with pytest.raises(TypeError):
            issue_refund("B-11872", 1450)
        case = case_of(proxy, reviewer)

    assert case.receipt.outcome == ExecutionOutcome.FAILED and "TypeError" in case.receipt.reason


def test_excluded_arguments_pass_through_and_are_never_shown(server: Server, reviewer: HandoffClient) -> None:
    session = object()
    seen: list[Any] = []
    proxy, agent = guarded(server, reviewer, "approve")
    with proxy:

        @require_approval(agent, exclude=["db"])
        def issue_refund(db: object, order_id: str, *, amount: int, **extra: Any) -> None:
            seen.append((db, order_id, amount, extra))

        issue_refund(session, "B-1", amount=5, reason="cracked")
        case = case_of(proxy, reviewer)

    assert seen == [(session, "B-1", 5, {"reason": "cracked"})]
    assert case.proposal.action.arguments == {"order_id": "B-1", "amount": 5, "reason": "cracked"}


def test_arguments_that_are_not_json_are_refused_before_anything_is_submitted(server: Server, reviewer: HandoffClient) -> None:
    proxy, agent = guarded(server, reviewer, "approve")
    with proxy:
        tool = require_approval(agent)(lambda db, amount: None)

        with pytest.raises(TypeError, match="exclude="):
            tool(object(), 5)

    assert proxy.requests == []


def test_a_call_the_policy_approves_runs_without_a_person(agent: HandoffClient, reviewer: HandoffClient) -> None:
    calls: list[int] = []

    @require_approval(agent, confidence=0.95, summary=lambda a: f"Look up order {a['order_id']}")
    def lookup(order_id: str) -> int:
        calls.append(1)
        return 42

    assert lookup("B-1") == 42 and calls == [1]


def test_a_call_repeated_with_its_idempotency_key_after_it_ran_is_not_run_again(agent: HandoffClient) -> None:
    calls: list[int] = []
    run = uuid.uuid4().hex

    @require_approval(agent, confidence=0.95, idempotency_key=lambda a: f"{run}-{a['order_id']}")
    def cancel_order(order_id: str) -> None:
        calls.append(1)

    cancel_order("B-1")
    with pytest.raises(AlreadyExecutedError) as raised:
        cancel_order("B-1")

    assert calls == [1] and raised.value.receipt.outcome == ExecutionOutcome.EXECUTED
    assert agent.get_case(raised.value.case_id).outcome == PolicyOutcome.AUTO


def test_a_plain_function_with_an_async_client_is_refused(server: Server) -> None:
    tool = require_approval(AsyncHandoffClient(server.url, server.agent_key))(lambda amount: None)

    with pytest.raises(TypeError, match="HandoffClient"):
        tool(5)


def test_async_an_edited_call_runs_with_the_persons_arguments(server: Server, reviewer: HandoffClient) -> None:
    shop = Shop()

    async def run() -> Any:
        with Proxy(server.url, alter=then(deciding(reviewer, "edit", arguments={"order_id": "B-2", "amount": 700}), unchanged)) as proxy:
            agent = AsyncHandoffClient(proxy.url, server.agent_key)

            @require_approval(lambda: agent, confidence=0.5)
            async def issue_refund(order_id: str, amount: int) -> str:
                await asyncio.sleep(0)
                shop.refunds.append((order_id, amount))
                return "done"

            assert await issue_refund("B-2", 1450) == "done"
            return case_of(proxy, reviewer)

    case = asyncio.run(run())
    assert shop.refunds == [("B-2", 700)]
    assert case.receipt.outcome == ExecutionOutcome.EXECUTED and not case.receipt.mismatch


def test_async_a_rejected_call_raises_and_a_failing_one_sends_its_failed_receipt(server: Server, reviewer: HandoffClient) -> None:
    async def run() -> None:
        with Proxy(server.url, alter=then(deciding(reviewer, "reject", text="No."), unchanged)) as proxy:
            agent = AsyncHandoffClient(proxy.url, server.agent_key)
            never = require_approval(agent)(_async_tool)
            with pytest.raises(ApprovalRejectedError, match="No."):
                await never(5)
        with Proxy(server.url, alter=then(deciding(reviewer, "approve"), unchanged)) as proxy:
            agent = AsyncHandoffClient(proxy.url, server.agent_key)
            failing = require_approval(agent)(_failing_async_tool)
            with pytest.raises(RuntimeError):
                await failing(5)
            case = case_of(proxy, reviewer)
        assert case.receipt.outcome == ExecutionOutcome.FAILED and "RuntimeError: out of stock" in case.receipt.reason

    asyncio.run(run())


async def _async_tool(amount: int) -> None:
    raise AssertionError("must not run")


async def _failing_async_tool(amount: int) -> None:
    raise RuntimeError("out of stock")


def test_threads_share_one_guarded_tool(server: Server, reviewer: HandoffClient) -> None:
    shop = Shop()
    proxy, agent = guarded(server, reviewer, "approve")
    with proxy:
        tool = require_approval(agent, confidence=0.5)(lambda order_id, amount: shop.refunds.append((order_id, amount)))
        threads = [threading.Thread(target=tool, args=(f"B-{i}", i)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)

    assert sorted(shop.refunds) == [(f"B-{i}", i) for i in range(4)]
