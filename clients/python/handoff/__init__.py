"""Handoff's Python SDK: ask a person before an agent acts, and act only on what they decided.

Standard library only. :class:`HandoffClient` blocks, :class:`AsyncHandoffClient` is its asyncio twin,
:func:`require_approval` guards a tool function, :class:`HandoffWebhook` verifies Handoff's signed deliveries and
:func:`proposal_digest` computes the digest a decision binds to.
"""

from .aio import AsyncHandoffClient
from .approval import require_approval
from .client import HandoffClient
from .digest import proposal_digest
from .errors import (
    AlreadyExecutedError,
    ApprovalRejectedError,
    CaseEscalatedError,
    CaseTakenOverError,
    HandoffConnectionError,
    HandoffError,
    HandoffProblemError,
    HandoffTimeoutError,
    HandoffWebhookError,
    ProposalDigestMismatchError,
    WebhookFailure,
)
from .models import (
    Actor,
    Case,
    CaseDecision,
    CaseEvent,
    CaseKind,
    CaseMessage,
    CaseMessages,
    CaseStatus,
    Change,
    Decision,
    ExecutionOutcome,
    ExecutionReceipt,
    Handling,
    Message,
    PolicyOutcome,
    Priority,
    Proposal,
    Reason,
    SubmittedCase,
    TimeoutEffect,
    ToolCall,
    Verdict,
)
from .webhook import HandoffWebhook, WebhookEvent

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "AlreadyExecutedError",
    "ApprovalRejectedError",
    "AsyncHandoffClient",
    "Case",
    "CaseDecision",
    "CaseEscalatedError",
    "CaseEvent",
    "CaseKind",
    "CaseMessage",
    "CaseMessages",
    "CaseStatus",
    "CaseTakenOverError",
    "Change",
    "Decision",
    "ExecutionOutcome",
    "ExecutionReceipt",
    "Handling",
    "HandoffClient",
    "HandoffConnectionError",
    "HandoffError",
    "HandoffProblemError",
    "HandoffTimeoutError",
    "HandoffWebhook",
    "HandoffWebhookError",
    "Message",
    "PolicyOutcome",
    "Priority",
    "Proposal",
    "ProposalDigestMismatchError",
    "Reason",
    "SubmittedCase",
    "TimeoutEffect",
    "ToolCall",
    "Verdict",
    "WebhookEvent",
    "WebhookFailure",
    "proposal_digest",
]
