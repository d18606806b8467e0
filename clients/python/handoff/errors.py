"""The exceptions the SDK raises. Every one derives from :class:`HandoffError`."""

from __future__ import annotations

import enum
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Actor, CaseDecision, ExecutionReceipt

__all__ = [
    "AlreadyExecutedError",
    "ApprovalRejectedError",
    "CaseEscalatedError",
    "CaseTakenOverError",
    "HandoffConnectionError",
    "HandoffError",
    "HandoffProblemError",
    "HandoffTimeoutError",
    "HandoffWebhookError",
    "ProposalDigestMismatchError",
    "WebhookFailure",
]


class HandoffError(Exception):
    """The base of every exception the Handoff SDK raises on its own account."""


class HandoffConnectionError(HandoffError):
    """The server could not be reached (refused, reset, cut short) in any of a call's tries; ``__cause__`` is the last failure."""


class HandoffTimeoutError(HandoffConnectionError, TimeoutError):
    """A try took longer than ``request_timeout`` and the tries ran out, or a wait's own ``timeout`` passed."""


class HandoffProblemError(HandoffError):
    """The server answered with an error: an RFC 9457 problem document, or any other error body from something in
    between such as a proxy. For a 400, :attr:`errors` names every bad field by its JSON path
    (``proposal.confidence``, ``expiresIn``, ``Idempotency-Key``, ...)."""

    def __init__(
        self,
        status: int,
        title: str | None,
        detail: str | None,
        type: str | None = None,  # noqa: A002 - the problem document's own name
        errors: dict[str, list[str]] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.errors: dict[str, list[str]] = errors or {}
        self.extensions: dict[str, Any] = extensions or {}
        super().__init__(self._describe())

    def _describe(self) -> str:
        title = self.title
        if title is None:
            try:
                title = HTTPStatus(self.status).phrase
            except ValueError:
                title = "Error"
        text = f"Handoff answered {self.status} {title}"
        if self.detail:
            text += ": " + self.detail
        if self.errors:
            text += " (" + "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()) + ")"
        return text


class ProposalDigestMismatchError(HandoffError):
    """A decision that is not about what was proposed (fail closed): its ``proposalDigest`` names another proposal,
    its ``result`` is not what its ``resultDigest`` names, or an approval carries something other than the proposal
    itself. Such a decision is never handed back: act on nothing, and look at the case and its audit log."""

    def __init__(self, case_id: str, digest: str, expected: str, actual: str | None) -> None:
        self.case_id = case_id
        self.digest = digest
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"Refusing the decision on case {case_id}: its {digest} is {actual or 'missing'}, but {expected} was "
            "expected, so it is not about what was proposed."
        )


class CaseEscalatedError(HandoffError):
    """The case timed out to ``escalated`` (or its SLA ladder escalated it): nobody decided, a person will follow up.
    Tell the customer; wait on with ``keep_waiting_when_escalated=True`` for the person's eventual decision."""

    def __init__(self, case_id: str, assigned_to: Actor | None) -> None:
        self.case_id = case_id
        self.assigned_to = assigned_to
        holder = f" (held by {assigned_to.name})" if assigned_to else ""
        super().__init__(f"Case {case_id} was escalated{holder}: nobody decided in time, and a person will follow up.")


class CaseTakenOverError(HandoffError):
    """A person took the conversation over: relay the customer's messages and the person's replies until they hand it
    back (``post_customer_message``, ``wait_for_messages``)."""

    def __init__(self, case_id: str, taken_by: Actor | None) -> None:
        self.case_id = case_id
        self.taken_by = taken_by
        who = taken_by.name if taken_by else "A person"
        super().__init__(f"{who} took the conversation of case {case_id} over: relay the customer's messages until they hand it back.")


class ApprovalRejectedError(HandoffError):
    """A tool call guarded by :func:`handoff.require_approval` was not approved: rejected by a person, blocked by the
    policy, rejected by a timeout, answered in words (``respond``) or handed back. Nothing ran.

    :attr:`text` is what the person said: the reason of a rejection, the answer of a ``respond``, the note of a
    handback (``"Blocked by policy."`` for a block, ``"Nobody decided before the case expired."`` for a timeout)."""

    def __init__(self, tool: str, decided: CaseDecision) -> None:
        self.tool = tool
        self.decided = decided
        self.case_id = decided.case_id
        self.status = decided.status
        self.verdict = decided.decision.verdict
        self.text = decided.decision.text
        reason = f": {self.text}" if self.text else ""
        super().__init__(f"The call to {tool} was not approved (case {self.case_id}, {self.status}){reason}")


class AlreadyExecutedError(HandoffError):
    """A guarded tool call repeated with the ``idempotency_key`` of a case that already has its receipt: it ran (or
    failed) before, so it is not run again. :attr:`receipt` is what the earlier run reported."""

    def __init__(self, tool: str, case_id: str, receipt: ExecutionReceipt) -> None:
        self.tool = tool
        self.case_id = case_id
        self.receipt = receipt
        super().__init__(
            f"The call to {tool} was already carried out for case {case_id} ({receipt.outcome} at {receipt.at:%Y-%m-%d %H:%M:%S}); not running it again."
        )


class WebhookFailure(enum.StrEnum):
    """Why :class:`handoff.HandoffWebhook` refused a delivery."""

    MISSING_HEADER = "missingHeader"
    """``webhook-id``, ``webhook-timestamp`` or ``webhook-signature`` is absent or empty."""
    BAD_TIMESTAMP = "badTimestamp"
    """``webhook-timestamp`` is not a whole number of seconds since the Unix epoch."""
    TOO_OLD = "tooOld"
    """Signed longer ago than the tolerance: a replay, or this clock is ahead."""
    TOO_NEW = "tooNew"
    """Claims to be signed further ahead than the tolerance: this clock is behind."""
    NO_MATCHING_SIGNATURE = "noMatchingSignature"
    """No ``v1`` signature matches the body under any of the secrets."""
    INVALID_BODY = "invalidBody"
    """The signature is right but the body is not a Handoff event (a JSON object with a string ``type``)."""


class HandoffWebhookError(HandoffError):
    """A webhook delivery that did not verify: answer it with 401 and act on nothing in it. :attr:`reason` says why."""

    def __init__(self, reason: WebhookFailure, message: str) -> None:
        self.reason = reason
        super().__init__(message)
