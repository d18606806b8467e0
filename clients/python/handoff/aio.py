"""The asyncio client: the same surface as :class:`handoff.HandoffClient`, every call a coroutine."""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from . import _core
from ._async_http import NETWORK_ERRORS, AsyncTransport, Response
from ._core import Deadline, Reply, Settings, case_path, dumps, log
from ._sse import SseParser
from .digest import proposal_digest
from .errors import HandoffError, HandoffProblemError
from .models import (
    Case,
    CaseDecision,
    CaseEvent,
    CaseKind,
    CaseMessage,
    CaseMessages,
    ExecutionOutcome,
    Message,
    Proposal,
    SubmittedCase,
    TimeoutEffect,
    Verdict,
)

__all__ = ["AsyncHandoffClient"]

_END_EVENT = "end"


class AsyncHandoffClient:
    """The asyncio twin of :class:`handoff.HandoffClient`: the same methods, options, retries and checks, as
    coroutines (and async iterators for the event streams). It speaks HTTP over asyncio streams, so cancelling a call
    (``task.cancel()``, ``asyncio.timeout``) ends it at once and closes its connection. Safe to share between tasks
    of one event loop; it keeps no state between calls.

    ``sleep`` is how it pauses between tries (``asyncio.sleep``); the other options are as for the sync client.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        long_poll_wait: float = 60,
        request_timeout: float = 30,
        retry_base_delay: float = 1,
        retry_max_delay: float = 30,
        max_attempts: int = 5,
        stream_idle_timeout: float = 60,
        ssl_context: ssl.SSLContext | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        random: Callable[[], float] | None = None,
    ) -> None:
        self._settings = Settings.make(
            base_url,
            api_key,
            long_poll_wait=long_poll_wait,
            request_timeout=request_timeout,
            retry_base_delay=retry_base_delay,
            retry_max_delay=retry_max_delay,
            max_attempts=max_attempts,
            stream_idle_timeout=stream_idle_timeout,
            ssl_context=ssl_context,
            random_source=random,
        )
        self._http = AsyncTransport(self._settings)
        self._sleep = sleep or asyncio.sleep

    # -- cases -------------------------------------------------------------------------------------------------

    async def submit_case(
        self,
        kind: CaseKind | str,
        *,
        summary: str | None = None,
        channel: str | None = None,
        subject: Mapping[str, Any] | None = None,
        facts: Mapping[str, Any] | None = None,
        conversation: Sequence[Message | Mapping[str, Any]] | None = None,
        proposal: Proposal | Mapping[str, Any] | None = None,
        options: Sequence[Proposal | Mapping[str, Any]] | None = None,
        expires_in: float | timedelta | None = None,
        on_timeout: TimeoutEffect | str | None = None,
        callback_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> SubmittedCase:
        """Submits a case; see :meth:`handoff.HandoffClient.submit_case`."""
        submitted = Proposal.of(proposal) if proposal is not None else None
        key = idempotency_key if idempotency_key is not None else _core.new_idempotency_key()
        body = _core.submit_body(kind, summary, channel, subject, facts, conversation, submitted, options, expires_in, on_timeout, callback_url)
        reply = await self._send("POST", "v1/cases", dumps(body), key)
        if reply.status not in (200, 201):
            raise _core.problem(reply)
        return SubmittedCase(Case.from_json(reply.json()), key, reply.replayed or reply.status == 200, proposal_digest(submitted))

    async def get_case(self, case_id: str) -> Case:
        """The case as it stands, its decision not checked; see :meth:`handoff.HandoffClient.get_case`."""
        reply = await self._send("GET", case_path(case_id))
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    async def wait_for_decision(
        self,
        submitted: SubmittedCase | str,
        proposal: Proposal | Mapping[str, Any] | None = None,
        *,
        keep_waiting_when_escalated: bool = False,
        keep_waiting_when_taken_over: bool = False,
        timeout: float | None = None,
    ) -> CaseDecision:
        """Waits for the decision and checks its digests; see :meth:`handoff.HandoffClient.wait_for_decision`.
        Cancelling the task ends the wait at once."""
        case_id, expected = _core.expected_digest(submitted, proposal)
        deadline = Deadline(timeout, time.monotonic)
        while True:
            wait = deadline.long_poll(self._settings.long_poll_wait)
            reply = await self._send(
                "GET",
                f"{case_path(case_id)}/decision?wait={wait}",
                timeout=wait + self._settings.request_timeout,
                max_attempts=None,
                deadline=deadline,
            )
            if reply.status == 200:
                return _core.verified(case_id, expected, reply)
            if reply.status != 202:
                raise _core.problem(reply)
            _core.standing(case_id, reply, keep_waiting_when_escalated, keep_waiting_when_taken_over)
            deadline.check(f"No decision on case {case_id}")

    # -- receipts ----------------------------------------------------------------------------------------------

    async def report_executed(self, decided: CaseDecision, executed: Proposal | Mapping[str, Any] | None = None) -> Case:
        """The executed receipt; see :meth:`handoff.HandoffClient.report_executed`."""
        ran = executed if executed is not None else decided.decision.raw.get("result")
        return await self._report(decided.case_id, ExecutionOutcome.EXECUTED, proposal_digest(ran), None)

    async def report_failed(self, case_id: str, reason: str) -> Case:
        """The failed receipt; see :meth:`handoff.HandoffClient.report_failed`."""
        if not reason or reason.isspace():
            raise ValueError("reason is required: say why it could not be carried out.")
        return await self._report(case_id, ExecutionOutcome.FAILED, None, reason)

    async def _report(self, case_id: str, outcome: ExecutionOutcome, digest: str | None, reason: str | None) -> Case:
        body = {"outcome": str(outcome)} | ({"resultDigest": digest} if digest else {}) | ({"reason": reason} if reason else {})
        reply = await self._send("POST", case_path(case_id) + "/receipt", dumps(body))
        if reply.status == 200:
            return Case.from_json(reply.json())
        if reply.status == 409:
            current = await self.get_case(case_id)
            if _core.own_receipt(current.raw, str(outcome), digest, reason):
                return current
        raise _core.problem(reply)

    # -- reviewing ---------------------------------------------------------------------------------------------

    async def decide(
        self,
        case_id: str,
        verdict: Verdict | str,
        *,
        text: str | None = None,
        arguments: Mapping[str, Any] | None = None,
        option: int | None = None,
        note: str | None = None,
    ) -> Case:
        """Decides a case (a reviewer key), sent once; see :meth:`handoff.HandoffClient.decide`."""
        body = _core.decision_body(verdict, text, arguments, option, note)
        reply = await self._send("POST", case_path(case_id) + "/decision", dumps(body), max_attempts=1)
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    async def claim(self, case_id: str) -> Case:
        """Takes an open case (a reviewer key); see :meth:`handoff.HandoffClient.claim`."""
        reply = await self._send("POST", case_path(case_id) + "/claim", b"")
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    async def release(self, case_id: str) -> Case:
        """Puts a case you hold back in the queue; sent once."""
        reply = await self._send("POST", case_path(case_id) + "/release", b"", max_attempts=1)
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    # -- takeover ----------------------------------------------------------------------------------------------

    async def post_customer_message(self, case_id: str, text: str) -> CaseMessage:
        """The customer's words into the transcript; sent once. See :meth:`handoff.HandoffClient.post_customer_message`."""
        return await self._post_message(case_id, "customer", text)

    async def post_agent_message(self, case_id: str, text: str) -> CaseMessage:
        """The agent's own reply into the transcript; 409 while a person owns the conversation."""
        return await self._post_message(case_id, "agent", text)

    async def wait_for_messages(self, case_id: str, after: int = 0) -> CaseMessages:
        """One long-poll for messages after ``after``; see :meth:`handoff.HandoffClient.wait_for_messages`."""
        if after < 0:
            raise ValueError("after must not be negative.")
        wait = self._settings.long_poll_wait
        path = f"{case_path(case_id)}/messages?after={after}&wait={wait}"
        reply = await self._send("GET", path, timeout=wait + self._settings.request_timeout, max_attempts=None)
        if reply.status != 200:
            raise _core.problem(reply)
        return CaseMessages.from_json(reply.json())

    async def _post_message(self, case_id: str, role: str, text: str) -> CaseMessage:
        reply = await self._send("POST", case_path(case_id) + "/messages", dumps({"role": role, "text": text}), max_attempts=1)
        if reply.status != 201:
            raise _core.problem(reply)
        return CaseMessage.from_json(reply.json())

    # -- events ------------------------------------------------------------------------------------------------

    async def stream_events(self, case_id: str, after_sequence: int | None = None) -> AsyncIterator[CaseEvent]:
        """Follows a case's events until it closes, resuming across drops; see
        :meth:`handoff.HandoffClient.stream_events`. To stop early, leave the loop inside
        ``contextlib.aclosing(...)`` (or cancel the task) so that the connection closes at once."""
        path = case_path(case_id) + "/events"
        last = after_sequence
        failures = 0
        while True:
            response = await self._open_events(path, last)
            if response is None:
                return
            broken = ended = False
            try:
                parser = SseParser()
                async for chunk in response.chunks(self._settings.stream_idle_timeout):
                    for item in parser.feed(chunk):
                        if item.event == _END_EVENT:
                            ended = True
                            break
                        event = CaseEvent.from_json(json.loads(item.data))
                        last, failures = event.sequence, 0
                        yield event
                    if ended:
                        break
            except NETWORK_ERRORS:
                broken = True
            finally:
                response.close()
            if ended:
                return
            if not broken and not await self._still_open(case_id):
                return
            failures += 1
            await self._sleep(self._settings.backoff(failures, None))

    async def stream_all_events(self, after_sequence: int | None = None) -> AsyncIterator[CaseEvent]:
        """Follows every case of the key, for ever, resuming across drops; see
        :meth:`handoff.HandoffClient.stream_all_events`."""
        last = after_sequence
        failures = 0
        while True:
            response = await self._open_events("v1/events", last)
            assert response is not None  # the workspace's stream never answers 204
            parser = SseParser()
            try:
                async for chunk in response.chunks(self._settings.stream_idle_timeout):
                    for item in parser.feed(chunk):
                        event = CaseEvent.from_json(json.loads(item.data))
                        last, failures = event.sequence, 0
                        yield event
            except NETWORK_ERRORS:
                pass
            finally:
                response.close()
            position = _core.position(parser.last_event_id)
            if position is not None and position > (last if last is not None else -1):
                last = position
            failures += 1
            await self._sleep(self._settings.backoff(failures, None))

    async def _open_events(self, path: str, after: int | None) -> Response | None:
        headers = self._settings.headers(body=False, accept="text/event-stream")
        if after is not None:
            headers["Last-Event-ID"] = str(after)
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                response = await self._http.open("GET", path, None, headers, self._settings.request_timeout)
                if response.status == 200:
                    return response
                try:
                    reply = await response.read(self._settings.request_timeout)
                finally:
                    response.close()
                if reply.status == 204:
                    return None
                if not _core.is_passing_status(reply.status):
                    raise _core.problem(reply)
                retry_after = _core.retry_after(reply.headers)
                failure: BaseException = _core.problem(reply)
            except NETWORK_ERRORS as e:
                failure = e
            delay = self._settings.backoff(attempt, retry_after)
            log.info("Retrying GET %s in %.2f s (attempt %d): %s", path, delay, attempt, failure)
            await self._sleep(delay)

    async def _still_open(self, case_id: str) -> bool:
        try:
            return (await self.get_case(case_id)).status.is_open
        except HandoffProblemError as e:
            if e.status >= 500:
                return True
            raise
        except HandoffError:
            return True

    # -- HTTP --------------------------------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_attempts: int | None = _core.CALL,
        deadline: Deadline | None = None,
    ) -> Reply:
        limit = self._settings.attempts(max_attempts)
        timeout = self._settings.request_timeout if timeout is None else timeout
        headers = self._settings.headers(body=body is not None, idempotency_key=idempotency_key)
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                reply = await self._http.request(method, path, body, headers, timeout)
                if not _core.is_passing_status(reply.status):
                    return reply
                retry_after = _core.retry_after(reply.headers)
                failure: BaseException = _core.problem(reply)
            except NETWORK_ERRORS as e:
                failure = e
            if limit is not None and attempt >= limit:
                raise _core.gave_up(failure, method, path, timeout)
            delay = self._settings.backoff(attempt, retry_after)
            if deadline is not None:
                deadline.check(f"No answer to {method} {path}")
                delay = deadline.pause(delay)
            log.info("Retrying %s %s in %.2f s (attempt %d): %s", method, path, delay, attempt, failure)
            await self._sleep(delay)
