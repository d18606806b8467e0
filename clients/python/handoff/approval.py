"""``@require_approval``: a tool function that asks a person before it runs."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any, TypeVar, cast

from ._core import dumps, log
from .aio import AsyncHandoffClient
from .client import HandoffClient
from .errors import AlreadyExecutedError, ApprovalRejectedError, HandoffError
from .models import CaseDecision, CaseKind, Proposal, SubmittedCase, TimeoutEffect, ToolCall

__all__ = ["require_approval"]

F = TypeVar("F", bound=Callable[..., Any])
Arguments = dict[str, Any]
_RAISE: Any = object()
_MAX_REASON = 2000


def require_approval(
    client: HandoffClient | AsyncHandoffClient | Callable[[], HandoffClient | AsyncHandoffClient],
    *,
    name: str | None = None,
    summary: str | Callable[[Arguments], str] | None = None,
    text: str | Callable[[Arguments], str] | None = None,
    facts: Mapping[str, Any] | Callable[[Arguments], Mapping[str, Any]] | None = None,
    subject: Mapping[str, Any] | Callable[[Arguments], Mapping[str, Any]] | None = None,
    confidence: float | Callable[[Arguments], float] | None = None,
    channel: str | None = None,
    expires_in: float | timedelta | None = None,
    on_timeout: TimeoutEffect | str | None = None,
    idempotency_key: Callable[[Arguments], str] | None = None,
    exclude: Iterable[str] = (),
    on_reject: Any = _RAISE,
    keep_waiting_when_escalated: bool = False,
    timeout: float | None = None,
) -> Callable[[F], F]:
    """Makes a tool function ask a person before it runs. Calling it then:

    1. submits a case of kind ``action`` whose proposal is the call (``name``, default the function's name, and its
       arguments by parameter name, defaults filled in), with ``summary`` (a ``str.format`` template over the
       arguments, a function of them, or else the docstring's first line), ``facts``, ``subject``, ``confidence``
       and ``text`` (each a value or a function of the arguments);
    2. waits for the decision, checking both digests (fail closed: :class:`ProposalDigestMismatchError`, nothing
       runs);
    3. approved: runs the function with the **approved** arguments (a person may have edited them), sends the
       executed receipt and returns what the function returned. If the function raises, it sends the failed
       receipt with the exception's type and message and re-raises;
    4. not approved (rejected by a person, blocked by the policy, rejected by a timeout, answered in words, handed
       back): raises :class:`ApprovalRejectedError` carrying the person's text, or returns ``on_reject`` (called
       with that error when it is callable). An escalated case raises :class:`CaseEscalatedError` unless
       ``keep_waiting_when_escalated``.

    A plain function needs a :class:`HandoffClient`, an ``async def`` an :class:`AsyncHandoffClient`; ``client``
    may also be a function returning one, called at each call (for a client made after import). Arguments must be
    JSON; name the others (a database session, say) in ``exclude``: they are passed through as given, never shown
    to the reviewer. Without ``confidence`` the case counts as low confidence and a person always looks.
    ``idempotency_key`` (a function of the arguments) makes a call repeated after a crash find its case instead of
    making a second one, and one whose case already has its receipt raises :class:`AlreadyExecutedError` instead of
    running again. ``timeout`` bounds the wait in seconds (:class:`HandoffTimeoutError`).
    """
    excluded = frozenset(exclude)

    def decorate(fn: F) -> F:
        tool = name or fn.__name__
        signature = inspect.signature(fn)
        is_async = inspect.iscoroutinefunction(fn)
        doc_line = (inspect.getdoc(fn) or "").strip().splitlines()
        default_summary = doc_line[0] if doc_line else f"The agent wants to call {tool}"

        def prepare(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Arguments, Arguments, dict[str, Any]]:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments: Arguments = {}
            for parameter_name, value in bound.arguments.items():
                kind = signature.parameters[parameter_name].kind
                if kind is inspect.Parameter.VAR_KEYWORD:
                    arguments.update(value)
                elif kind is inspect.Parameter.VAR_POSITIONAL:
                    arguments[parameter_name] = list(value)
                else:
                    arguments[parameter_name] = value
            passthrough = {k: v for k, v in arguments.items() if k in excluded}
            shown = {k: v for k, v in arguments.items() if k not in excluded}
            try:
                dumps(shown)
            except (TypeError, ValueError) as e:
                raise TypeError(f"The arguments of {tool} must be JSON for a person to review them ({e}); name the others in exclude=.") from e
            proposal = Proposal(text=_value(text, shown), action=ToolCall(tool, shown), confidence=_value(confidence, shown))
            case: dict[str, Any] = {
                "summary": _summary(summary, shown, default_summary),
                "facts": _value(facts, shown),
                "subject": _value(subject, shown),
                "proposal": proposal,
                "channel": channel,
                "expires_in": expires_in,
                "on_timeout": on_timeout,
                "idempotency_key": idempotency_key(shown) if idempotency_key else None,
            }
            return shown, passthrough, case

        def approved_call(decided: CaseDecision, passthrough: Arguments) -> tuple[list[Any], dict[str, Any]] | str:
            action = decided.action
            if action is None or action.name != tool:
                return f"Not run: the approved result is not a call to {tool}."
            return _call_arguments(signature, {**(action.arguments or {}), **passthrough})

        def ran_before(submitted: SubmittedCase) -> None:
            # The same idempotency key again (a retry after a crash, say) finds the case; once it has its receipt the
            # call went through before, and running it twice is what the key is there to prevent.
            if submitted.replayed and submitted.case.receipt is not None:
                raise AlreadyExecutedError(tool, submitted.id, submitted.case.receipt)

        def rejected(decided: CaseDecision) -> Any:
            error = ApprovalRejectedError(tool, decided)
            if on_reject is _RAISE:
                raise error
            return on_reject(error) if callable(on_reject) else on_reject

        if is_async:

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                handoff = _client(client, AsyncHandoffClient, tool)
                _, passthrough, case = prepare(args, kwargs)
                submitted: SubmittedCase = await handoff.submit_case(CaseKind.ACTION, **case)
                ran_before(submitted)
                decided = await handoff.wait_for_decision(
                    submitted, keep_waiting_when_escalated=keep_waiting_when_escalated, timeout=timeout
                )
                if not decided.is_approved:
                    return rejected(decided)
                call = approved_call(decided, passthrough)
                if isinstance(call, str):
                    await _quietly(handoff.report_failed(decided.case_id, call), decided.case_id)
                    raise HandoffError(f"{call} (case {decided.case_id})")
                try:
                    result = await cast(Callable[..., Awaitable[Any]], fn)(*call[0], **call[1])
                except Exception as e:
                    await _quietly(handoff.report_failed(decided.case_id, _reason(e)), decided.case_id)
                    raise
                await _quietly(handoff.report_executed(decided), decided.case_id)
                return result

            run_async.handoff_tool_name = tool  # type: ignore[attr-defined]
            return cast(F, run_async)

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            handoff = _client(client, HandoffClient, tool)
            _, passthrough, case = prepare(args, kwargs)
            submitted = handoff.submit_case(CaseKind.ACTION, **case)
            ran_before(submitted)
            decided = handoff.wait_for_decision(submitted, keep_waiting_when_escalated=keep_waiting_when_escalated, timeout=timeout)
            if not decided.is_approved:
                return rejected(decided)
            call = approved_call(decided, passthrough)
            if isinstance(call, str):
                _quietly_sync(lambda: handoff.report_failed(decided.case_id, call), decided.case_id)
                raise HandoffError(f"{call} (case {decided.case_id})")
            try:
                result = fn(*call[0], **call[1])
            except Exception as e:
                _quietly_sync(lambda: handoff.report_failed(decided.case_id, _reason(e)), decided.case_id)
                raise
            _quietly_sync(lambda: handoff.report_executed(decided), decided.case_id)
            return result

        run.handoff_tool_name = tool  # type: ignore[attr-defined]
        return cast(F, run)

    return decorate


def _client(client: Any, expected: type, tool: str) -> Any:
    resolved = client if isinstance(client, (HandoffClient, AsyncHandoffClient)) else client()
    if not isinstance(resolved, expected):
        wanted = "an AsyncHandoffClient for an async def" if expected is AsyncHandoffClient else "a HandoffClient for a plain function"
        raise TypeError(f"@require_approval on {tool} needs {wanted}, not {type(resolved).__name__}.")
    return resolved


def _value(value: Any, arguments: Arguments) -> Any:
    return value(arguments) if callable(value) else value


def _summary(summary: str | Callable[[Arguments], str] | None, arguments: Arguments, default: str) -> str:
    if summary is None:
        return default
    return summary(arguments) if callable(summary) else summary.format(**arguments)


def _reason(error: BaseException) -> str:
    reason = f"The tool failed: {type(error).__name__}: {error}".strip()
    return reason if len(reason) <= _MAX_REASON else reason[: _MAX_REASON - 1] + "…"


def _call_arguments(signature: inspect.Signature, values: Arguments) -> tuple[list[Any], dict[str, Any]]:
    """The approved arguments as a call: positional-only ones (and all before a ``*args``) by position, the rest by
    name. A name the function does not take, or a required one an edit dropped, fails in the call itself, which then
    sends the failed receipt."""
    values = dict(values)
    parameters = list(signature.parameters.values())
    has_var_positional = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in parameters:
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            args.extend(values.pop(p.name, ()))
        elif p.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        elif p.name in values:
            positional = p.kind is inspect.Parameter.POSITIONAL_ONLY or (
                p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and has_var_positional
            )
            if positional:
                args.append(values.pop(p.name))
            else:
                kwargs[p.name] = values.pop(p.name)
    kwargs.update(values)
    return args, kwargs


async def _quietly(receipt: Awaitable[Any], case_id: str) -> None:
    # A receipt that cannot be sent leaves the case showing "not reported as carried out yet"; it must not turn a
    # tool call that ran into a failure, nor hide the tool's own exception.
    try:
        await receipt
    except HandoffError as e:
        log.warning("Could not send the receipt of case %s: %s", case_id, e)


def _quietly_sync(receipt: Callable[[], Any], case_id: str) -> None:
    try:
        receipt()
    except HandoffError as e:
        log.warning("Could not send the receipt of case %s: %s", case_id, e)
