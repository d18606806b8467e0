"""The digest a decision binds to: lowercase hex SHA-256 of the UTF-8 bytes of a proposal's canonical JSON, as
docs/api.md ("Verifying the digests") defines it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ._canonical import canonical_json
from .models import Proposal

__all__ = ["proposal_digest"]


def proposal_digest(proposal: Proposal | Mapping[str, Any] | None) -> str:
    """The digest of a proposal, or of a decision's result, given as a :class:`Proposal` or as its JSON. No proposal
    hashes as ``null``. The same value the server computes, byte for byte; thread safe."""
    value = proposal.to_json() if isinstance(proposal, Proposal) else proposal
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
