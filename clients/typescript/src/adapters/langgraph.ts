import { Command, interrupt } from "@langchain/langgraph";
import type { HandoffClient } from "../client.js";
import { proposalDigest } from "../proposalDigest.js";
import type { CaseDecision, CaseRequest } from "../types.js";
import { verifiedDecision } from "../verify.js";

const marker = "handoff.case";

/** What {@link requestApproval} interrupts the graph with. */
export interface HandoffInterrupt {
  type: typeof marker;
  request: CaseRequest;
}

/** The part of a compiled LangGraph graph this uses. */
export interface InterruptibleGraph {
  invoke(input: unknown, config: { configurable?: Record<string, unknown> } & Record<string, unknown>): Promise<unknown>;
  getState(config: { configurable?: Record<string, unknown> } & Record<string, unknown>): Promise<{
    tasks: ReadonlyArray<{ interrupts: ReadonlyArray<{ id?: string; value?: unknown }> }>;
  }>;
}

export interface RunWithHandoffOptions {
  /** Wait on through an escalation for the person's decision. Default: false, the escalation is thrown. */
  keepWaitingWhenEscalated?: boolean;
  /** Ends the waits at once. */
  signal?: AbortSignal;
}

/**
 * Inside a node: asks a person through Handoff. It interrupts the graph (LangGraph's `interrupt()`), and when
 * {@link runWithHandoff} resumes it, returns the decision, checked against the proposal. The node runs again from its
 * start on resume, as every interrupted LangGraph node does: do what must happen once after this call, such as the
 * action itself and `client.reportExecuted(decision)`.
 */
export function requestApproval(request: CaseRequest): CaseDecision {
  const value: HandoffInterrupt = { type: marker, request };
  const resumed = interrupt<HandoffInterrupt, CaseDecision>(value);
  // Checked again here: the graph may be resumed by something other than runWithHandoff (LangGraph Studio, other code).
  return verifiedDecision(
    resumed?.caseId ?? "(unknown)",
    proposalDigest(request.proposal ?? null),
    JSON.stringify({ caseId: resumed?.caseId, status: resumed?.status, decision: resumed?.decision, transcript: resumed?.transcript, approvals: resumed?.approvals }),
  );
}

/** Whether an interrupt's value is one {@link requestApproval} made. */
export function isHandoffInterrupt(value: unknown): value is HandoffInterrupt {
  return value !== null && typeof value === "object" && (value as { type?: unknown }).type === marker;
}

/**
 * Runs the graph with `input`, then answers every interrupt {@link requestApproval} made: each becomes a case (its
 * Idempotency-Key `{thread_id}/{interrupt id}` unless the request has one, so running this again after a crash finds
 * the same cases), and the graph is resumed with `Command({ resume })`, carrying each checked decision, until it
 * finishes or stops on an interrupt that is not Handoff's. Pass `input` undefined to only answer a graph already
 * waiting (after a restart).
 *
 * @returns the graph's last output.
 * @throws ProposalDigestMismatchError a decision is not about what the node proposed: the graph is not resumed.
 * @throws CaseEscalatedError nobody decided in time (unless `keepWaitingWhenEscalated`); the graph stays interrupted.
 * @throws CaseTakenOverError a person took the conversation over; the graph stays interrupted.
 */
export async function runWithHandoff(
  graph: InterruptibleGraph,
  input: unknown,
  config: { configurable?: Record<string, unknown> } & Record<string, unknown>,
  client: HandoffClient,
  options: RunWithHandoffOptions = {},
): Promise<unknown> {
  let output = input === undefined ? undefined : await graph.invoke(input, config);
  const thread = String(config.configurable?.thread_id ?? "graph");
  while (true) {
    const state = await graph.getState(config);
    const waiting = state.tasks.flatMap((t) => t.interrupts);
    if (waiting.length === 0 || !waiting.every((i) => i.id !== undefined && isHandoffInterrupt(i.value))) {
      return output;
    }

    const resume: Record<string, CaseDecision> = {};
    await Promise.all(
      waiting.map(async (i) => {
        const { request } = i.value as HandoffInterrupt;
        const submitted = await client.submit({ ...request, idempotencyKey: request.idempotencyKey ?? `${thread}/${i.id}` }, { signal: options.signal });
        resume[i.id!] = await client.waitForDecision(submitted, {
          signal: options.signal,
          keepWaitingWhenEscalated: options.keepWaitingWhenEscalated ?? false,
        });
      }),
    );
    output = await graph.invoke(new Command({ resume }), config);
  }
}
