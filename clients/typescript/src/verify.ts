import { HandoffError, ProposalDigestMismatchError } from "./errors.js";
import { digestOfJson } from "./proposalDigest.js";
import type { CaseDecision, Decision, DecisionView } from "./types.js";

/**
 * Fails closed: the decision must name the proposal this agent submitted, carry the result its digest names, and,
 * for a plain approval, that result must be the proposal itself. Mirrors the .NET SDK's HandoffClient.Verified.
 */
export function verifiedDecision(caseId: string, expectedDigest: string, body: string): CaseDecision {
  const answer = JSON.parse(body) as DecisionView;
  const decision: Decision | undefined = answer?.decision;
  if (decision === undefined || decision === null || typeof decision !== "object") {
    throw new HandoffError(`The server's answer for case ${caseId} carries no decision.`);
  }

  const approved = answer.status === "approved";
  // Hashed from the parsed answer, never taken from the server: the result is what the agent is about to execute.
  const resultDigest = decision.result === undefined || decision.result === null ? undefined : digestOfJson(decision.result);
  const mismatch = findMismatch(decision, approved, expectedDigest, resultDigest);
  if (mismatch) {
    throw new ProposalDigestMismatchError(caseId, mismatch.digest, mismatch.expected, mismatch.actual);
  }

  const decided: CaseDecision = {
    caseId: answer.caseId ?? caseId,
    status: answer.status,
    decision,
    isApproved: approved,
    isHandedBack: answer.status === "handedBack",
  };
  if (answer.transcript) {
    decided.transcript = answer.transcript;
  }

  if (answer.approvals) {
    decided.approvals = answer.approvals;
  }

  return decided;
}

function findMismatch(
  decision: Decision,
  approved: boolean,
  expectedDigest: string,
  resultDigest: string | undefined,
): { digest: "proposalDigest" | "resultDigest"; expected: string; actual: string | undefined } | undefined {
  if (!same(decision.proposalDigest, expectedDigest)) {
    return { digest: "proposalDigest", expected: expectedDigest, actual: decision.proposalDigest };
  }

  if (resultDigest === undefined) {
    // Nothing to execute, so nothing may claim a digest or an approval.
    return decision.resultDigest !== undefined && decision.resultDigest !== null || approved
      ? { digest: "resultDigest", expected: "a result", actual: decision.resultDigest ?? undefined }
      : undefined;
  }

  if (!same(decision.resultDigest, resultDigest)) {
    return { digest: "resultDigest", expected: resultDigest, actual: decision.resultDigest ?? undefined };
  }

  // An approval lets through the proposal itself; a result that differs would be an edit in disguise.
  return decision.verdict === "approve" && !same(resultDigest, expectedDigest)
    ? { digest: "resultDigest", expected: expectedDigest, actual: decision.resultDigest ?? undefined }
    : undefined;
}

function same(a: string | null | undefined, b: string): boolean {
  return typeof a === "string" && a === b;
}
