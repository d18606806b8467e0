"""Retries, against stand-ins on 127.0.0.1 that answer what the test scripts: busy, dropped, slow."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import datetime, timezone

import pytest

from conftest import Pauses
from handoff import (
    AsyncHandoffClient,
    HandoffClient,
    HandoffConnectionError,
    HandoffProblemError,
    HandoffTimeoutError,
    Proposal,
    ToolCall,
    proposal_digest,
)
from handoff._core import retry_after
from standins import StandIn

PROPOSAL = Proposal("Refunded.", ToolCall("issue_refund", {"amount": 10}), 0.5)
CASE = {
    "id": "cs_1", "status": "pending", "outcome": "review", "kind": "action", "team": "support", "priority": "normal",
    "proposal": PROPOSAL.to_json(), "createdAt": "2026-11-24T06:19:14.9630143+00:00", "onTimeout": "reject",
}
JSON = {"Content-Type": "application/json"}
BUSY = (503, {"Retry-After": "7", "Content-Type": "application/problem+json"}, b'{"title":"Service Unavailable","status":503,"detail":"The database is out of reach."}')


def created(status: int = 201, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return status, {**JSON, **(headers or {})}, json.dumps(CASE).encode()


def decision(proposal: Proposal = PROPOSAL) -> tuple[int, dict[str, str], bytes]:
    digest = proposal_digest(proposal)
    body = {"caseId": "cs_1", "status": "approved", "decision": {
        "verdict": "approve", "result": proposal.to_json(), "proposalDigest": digest, "resultDigest": digest,
        "decidedAt": "2026-11-24T06:19:45.7156237+00:00", "timedOut": False, "changes": []}}
    return 200, JSON, json.dumps(body).encode()


def client(url: str, pauses: Pauses, **options: object) -> HandoffClient:
    return HandoffClient(url, "hk_test", sleep=pauses, random=lambda: 0.0, **options)  # type: ignore[arg-type]


def test_submit_case_after_a_503_with_retry_after_pauses_as_asked_and_sends_the_same_key(pauses: Pauses) -> None:
    with StandIn([BUSY, created()]) as standin:
        submitted = client(standin.url, pauses).submit_case("action", summary="Refund", proposal=PROPOSAL)

    assert (submitted.id, submitted.replayed) == ("cs_1", False)
    assert pauses.asked == [7.0]
    keys = [r.headers["idempotency-key"] for r in standin.requests]
    assert len(keys) == 2 and keys[0] == keys[1] == submitted.idempotency_key and keys[0].startswith("hc_")
    assert standin.requests[0].body == standin.requests[1].body


def test_submit_case_whose_retry_meets_the_case_already_made_reports_a_replay(pauses: Pauses) -> None:
    with StandIn([None, created(200, {"Idempotent-Replayed": "true"})]) as standin:
        submitted = client(standin.url, pauses).submit_case("action", proposal=PROPOSAL, idempotency_key="refund-1")

    assert submitted.replayed and submitted.idempotency_key == "refund-1"
    assert [r.headers["idempotency-key"] for r in standin.requests] == ["refund-1", "refund-1"]


def test_a_call_that_stays_busy_backs_off_exponentially_and_raises_the_last_503(pauses: Pauses) -> None:
    with StandIn([BUSY] * 5) as standin:
        busy = client(standin.url, pauses, retry_max_delay=5)
        with pytest.raises(HandoffProblemError) as raised:
            busy.get_case("cs_1")

    assert raised.value.status == 503 and raised.value.detail == "The database is out of reach."
    assert len(standin.requests) == 5
    # Retry-After (7 s) is capped to retry_max_delay (5 s), and wins over the backoff while it is longer.
    assert pauses.asked == [5.0, 5.0, 5.0, 5.0]


def test_backoff_doubles_each_try_less_a_random_part_of_up_to_half(pauses: Pauses) -> None:
    plain_busy = (502, {}, b"Bad Gateway")
    with StandIn([plain_busy] * 4 + [created(200)]) as standin:
        HandoffClient(standin.url, "hk_test", sleep=pauses, random=lambda: 1.0, max_attempts=5).get_case("cs_1")

    assert pauses.asked == [0.5, 1.0, 2.0, 4.0]


@pytest.mark.parametrize("status", [400, 404, 409, 500])
def test_an_answer_that_is_not_passing_is_not_retried(pauses: Pauses, status: int) -> None:
    with StandIn([(status, {}, b"<html>proxy error</html>")]) as standin:
        with pytest.raises(HandoffProblemError) as raised:
            client(standin.url, pauses).get_case("cs_1")

    assert raised.value.status == status and raised.value.detail == "<html>proxy error</html>"
    assert len(standin.requests) == 1 and pauses.asked == []


def test_a_server_that_refuses_connections_raises_a_connection_error_after_every_try(pauses: Pauses) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there

    with pytest.raises(HandoffConnectionError) as raised:
        client(f"http://127.0.0.1:{port}", pauses, max_attempts=3).get_case("cs_1")

    assert isinstance(raised.value.__cause__, ConnectionRefusedError)
    assert len(pauses.asked) == 2


def test_a_server_that_never_answers_raises_a_timeout(pauses: Pauses) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections are queued, never answered
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"

        with pytest.raises(HandoffTimeoutError):
            client(url, pauses, max_attempts=2, request_timeout=0.2).get_case("cs_1")

    assert len(pauses.asked) == 1


def test_wait_for_decision_retries_without_limit_and_asks_again_after_a_202(pauses: Pauses) -> None:
    still_pending = (202, JSON, b'{"caseId":"cs_1","status":"pending"}')
    with StandIn([BUSY, None, (504, {}, b""), still_pending, BUSY, decision()]) as standin:
        decided = client(standin.url, pauses, max_attempts=1, long_poll_wait=30).wait_for_decision("cs_1", PROPOSAL)

    assert decided.is_approved and decided.decision.result == PROPOSAL
    assert [r.path for r in standin.requests] == ["/v1/cases/cs_1/decision?wait=30"] * 6
    assert len(pauses.asked) == 4  # after each passing failure; a 202 is asked again at once


def test_a_base_url_with_a_path_keeps_it(pauses: Pauses) -> None:
    with StandIn([created(200)]) as standin:
        client(standin.url + "/handoff", pauses).get_case("cs/1")

    assert standin.requests[0].path == "/handoff/v1/cases/cs%2F1"
    assert standin.requests[0].headers["authorization"] == "Bearer hk_test"


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 12, 1, 10, 0, 0, tzinfo=timezone.utc)

    assert retry_after({"retry-after": "42"}, now) == 42.0
    assert retry_after({"retry-after": "Tue, 01 Dec 2026 10:00:30 GMT"}, now) == 30.0
    assert retry_after({"retry-after": "soon"}, now) is None
    assert retry_after({}, now) is None


def test_async_submit_case_after_a_503_with_retry_after_pauses_as_asked(pauses: Pauses) -> None:
    async def run() -> None:
        with StandIn([BUSY, None, created(200, {"Idempotent-Replayed": "true"})]) as standin:
            busy = AsyncHandoffClient(standin.url, "hk_test", sleep=pauses.aio, random=lambda: 0.0)
            submitted = await busy.submit_case("action", proposal=PROPOSAL)

        assert submitted.replayed
        assert pauses.asked == [7.0, 2.0]
        assert len({r.headers["idempotency-key"] for r in standin.requests}) == 1

    asyncio.run(run())


def test_async_wait_for_decision_retries_and_asks_again_after_a_202(pauses: Pauses) -> None:
    async def run() -> None:
        still_pending = (202, JSON, b'{"caseId":"cs_1","status":"pending"}')
        with StandIn([None, still_pending, (503, {}, b""), decision()]) as standin:
            waiting = AsyncHandoffClient(standin.url, "hk_test", sleep=pauses.aio, max_attempts=1)
            decided = await waiting.wait_for_decision("cs_1", PROPOSAL)

        assert decided.is_approved and len(standin.requests) == 4 and len(pauses.asked) == 2

    asyncio.run(run())


def test_async_a_server_that_never_answers_raises_a_timeout(pauses: Pauses) -> None:
    async def run() -> None:
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            slow = AsyncHandoffClient(f"http://127.0.0.1:{silent.getsockname()[1]}", "hk", sleep=pauses.aio, max_attempts=2, request_timeout=0.2)
            with pytest.raises(HandoffTimeoutError):
                await slow.get_case("cs_1")

    asyncio.run(run())
