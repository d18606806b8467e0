import { type FunctionTool, type RunState, type RunToolApprovalItem, type ToolInputParameters, type ToolOptions, tool as agentsTool } from "@openai/agents";
import type { HandoffClient } from "../client.js";
import {
  type ApprovalOptions,
  type ApprovalOutcome,
  DecidedCalls,
  type ToolCallForApproval,
  approvedArguments,
  decideCall,
  refusalFor,
  sameArguments,
} from "./shared.js";

export type { ApprovalCaseContext, ApprovalOptions, ApprovalOutcome, ToolCallForApproval } from "./shared.js";

/** A paused run: what `run()` answers when a tool call needs approval. */
export interface PausedRun {
  interruptions: RunToolApprovalItem[];
  state: RunState<any, any>;
}

/**
 * Answers the OpenAI Agents SDK's tool approvals from Handoff: each interruption of a run becomes a case, and the
 * person's decision approves or rejects it on the run's state. Then resume the run with that state:
 *
 * ```ts
 * let result = await run(agent, input);
 * while (result.interruptions.length > 0) {
 *   await approvals.decide(result);
 *   result = await run(agent, result.state);
 * }
 * ```
 *
 * Tools made with {@link tool} (instead of the SDK's `tool`) also run a person's **edited** arguments and send the
 * case's execution receipt once they ran (or failed). A plain `needsApproval` tool cannot run other arguments than the
 * model's, so an edit of its call is refused (fail closed) with the changed arguments in the message, and its receipt
 * is yours to send (`client.reportExecuted(outcome.decided)`).
 */
export class HandoffApprovals {
  readonly #client: HandoffClient;
  readonly #options: ApprovalOptions;
  readonly #decided: DecidedCalls;
  readonly #wrapped = new Set<string>();

  constructor(client: HandoffClient, options: ApprovalOptions = {}) {
    this.#client = client;
    this.#options = options;
    this.#decided = new DecidedCalls(client);
  }

  /**
   * The SDK's `tool()`, always needing approval, that runs the arguments the person approved (edits included) and
   * sends the receipt after it ran: executed, or failed with the tool's error.
   */
  tool<TParameters extends ToolInputParameters = undefined, Context = unknown, Result = string>(
    options: ToolOptions<TParameters, Context>,
  ): FunctionTool<Context, TParameters, Result> {
    const execute = options.execute as (input: unknown, context: unknown, details: unknown) => Promise<unknown>;
    const parameters = options.parameters as unknown as { parse?: (value: unknown) => unknown };
    const made = agentsTool<TParameters, Context, Result>({
      ...options,
      needsApproval: true,
      execute: (input: unknown, context: unknown, details?: { toolCall?: { callId?: string } }) =>
        this.#decided.run(
          details?.toolCall?.callId,
          input,
          // An edit did not pass the SDK's parsing: it goes through the tool's schema here, when it has a parser.
          (args) => execute(args === input || typeof parameters?.parse !== "function" ? args : parameters.parse(args), context, details),
          true, // always needs approval: without a decision here, it does not run
        ),
    } as ToolOptions<TParameters, Context>);
    this.#wrapped.add(made.name);
    return made as unknown as FunctionTool<Context, TParameters, Result>;
  }

  /**
   * Makes each interruption of a paused run a case, waits for the decisions (all at once), and approves or rejects
   * each on `paused.state`. Resume the run with that state afterwards.
   *
   * @throws ProposalDigestMismatchError when a decision is not about the proposed call: nothing is approved.
   */
  async decide(paused: PausedRun): Promise<ApprovalOutcome[]> {
    const answered = await Promise.all(
      paused.interruptions.map(async (item) => {
        const call = callOf(item);
        return { item, call, ...(await decideCall(this.#client, call, this.#options)) };
      }),
    );

    // Decided first, applied after: a mismatch anywhere throws before any call is approved.
    return answered.map(({ item, call, caseId, decided, refusal }): ApprovalOutcome => {
      if (decided === undefined) {
        paused.state.reject(item, { message: refusal! });
        return { call, caseId, approved: false, message: refusal! };
      }

      const args = approvedArguments(call, decided);
      if (args === undefined) {
        const message = decided.isApproved
          ? `Not run: a person chose another action instead: ${JSON.stringify(decided.decision.result?.action ?? decided.decision.result)}.`
          : refusalFor(decided);
        paused.state.reject(item, { message });
        return { call, caseId, approved: false, decided, message };
      }

      const changed = !sameArguments(args, call.arguments);
      if (changed && !this.#wrapped.has(call.toolName)) {
        const message = `Not run: a person changed the arguments to ${JSON.stringify(args)}. Call ${call.toolName} again with exactly these if it is still needed.`;
        paused.state.reject(item, { message });
        return { call, caseId, approved: false, decided, message };
      }

      if (this.#wrapped.has(call.toolName)) {
        this.#decided.set(call.callId, decided, args);
      }

      paused.state.approve(item);
      return { call, caseId, approved: true, decided };
    });
  }
}

function callOf(item: RunToolApprovalItem): ToolCallForApproval {
  const raw = item.rawItem as { callId?: string; id?: string; action?: unknown; operation?: unknown };
  let args: unknown = {};
  try {
    // A function call has JSON arguments; a shell, patch or computer call has none, but its action (the commands, the
    // patch) is what the person must see: it becomes the proposal's arguments.
    args = item.arguments
      ? JSON.parse(item.arguments)
      : { ...(raw.action !== undefined ? { action: raw.action } : {}), ...(raw.operation !== undefined ? { operation: raw.operation } : {}) };
  } catch {
    args = { input: item.arguments };
  }

  return {
    toolName: item.name ?? "unknown",
    callId: raw.callId ?? raw.id ?? "",
    arguments: args !== null && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : { input: args },
  };
}
