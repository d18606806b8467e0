import { asSchema, type ToolApprovalResponse, type ToolModelMessage, type ToolSet } from "ai";
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

/** The part of a `generateText`/`streamText` result this reads: its content, with `tool-approval-request` parts. */
export interface ResultWithApprovals {
  content: ReadonlyArray<{ type: string }>;
}

/** `tool-approval-request` as the AI SDK puts it in a result's content. */
interface ApprovalRequestPart {
  type: "tool-approval-request";
  approvalId: string;
  isAutomatic?: boolean;
  toolCall: { toolCallId: string; toolName: string; input: unknown };
}

/** What {@link HandoffToolApprovals.respond} hands back. */
export interface ApprovalAnswers {
  /** The tool message to append after the result's `response.messages`, then call the model again; undefined when nothing waited. */
  message: ToolModelMessage | undefined;
  outcomes: ApprovalOutcome[];
}

/**
 * Answers the AI SDK's (v7) tool approvals from Handoff. A tool with `needsApproval` makes `generateText` stop with
 * `tool-approval-request` parts; {@link respond} makes each a case, waits for the person, and gives the
 * `tool-approval-response` message to continue with:
 *
 * ```ts
 * const tools = approvals.tools({ issue_refund: tool({ inputSchema, needsApproval: true, execute }) });
 * let result = await generateText({ model, tools, messages });
 * messages.push(...result.response.messages);
 * const { message } = await approvals.respond(result);
 * if (message) { messages.push(message); result = await generateText({ model, tools, messages }); }
 * ```
 *
 * Tools passed through {@link tools} run a person's edited arguments and send the case's receipt after they ran. An
 * approval response cannot change a call's input, so the edit of a tool not passed through it is denied (fail closed)
 * with the changed arguments as the reason.
 */
export class HandoffToolApprovals {
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
   * The same tools, those that need approval and have `execute` running the decided arguments (an edit checked against
   * the tool's `inputSchema`) and sending receipts; a streaming `execute` (an async generator) sends its receipt when it
   * has finished.
   */
  tools<TOOLS extends ToolSet>(tools: TOOLS): TOOLS {
    const out: Record<string, unknown> = {};
    const decided = this.#decided;
    for (const [name, t] of Object.entries(tools)) {
      const execute = (t as { execute?: (input: unknown, options: { toolCallId: string }) => unknown }).execute;
      if (!t.needsApproval || typeof execute !== "function") {
        out[name] = t;
        continue;
      }

      this.#wrapped.add(name);
      const needs = t.needsApproval as boolean | ((input: unknown, options: unknown) => boolean | PromiseLike<boolean>);
      const needsApproval = async (input: unknown, options: unknown) => (typeof needs === "function" ? await needs(input, options) : needs);
      const checked = async (args: unknown, input: unknown): Promise<unknown> => {
        if (args === input) {
          return args;
        }

        const result = await asSchema(t.inputSchema).validate?.(args);
        if (result !== undefined && !result.success) {
          throw result.error;
        }

        return result === undefined ? args : result.value;
      };
      const streams = execute.constructor?.name === "AsyncGeneratorFunction";
      out[name] = {
        ...t,
        execute: streams
          ? async function* (input: unknown, options: { toolCallId: string }) {
              const needed = await needsApproval(input, options);
              yield* decided.runStream(options.toolCallId, input, async function* (args) {
                yield* execute(await checked(args, input), options) as AsyncIterable<unknown>;
              }, needed);
            }
          : async (input: unknown, options: { toolCallId: string }) =>
              decided.run(options.toolCallId, input, async (args) => await execute(await checked(args, input), options), await needsApproval(input, options)),
      };
    }

    return out as TOOLS;
  }

  /**
   * Makes each `tool-approval-request` of the result a case (all at once), waits for the decisions, and answers each.
   * @throws ProposalDigestMismatchError when a decision is not about the proposed call: nothing is answered.
   */
  async respond(result: ResultWithApprovals): Promise<ApprovalAnswers> {
    const requests = result.content.filter(
      (p): p is ApprovalRequestPart => p.type === "tool-approval-request" && !(p as ApprovalRequestPart).isAutomatic,
    );
    const answered = await Promise.all(
      requests.map(async (part) => {
        const call = callOf(part);
        return { part, call, ...(await decideCall(this.#client, call, this.#options)) };
      }),
    );

    const outcomes: ApprovalOutcome[] = [];
    const responses: ToolApprovalResponse[] = answered.map(({ part, call, caseId, decided, refusal }) => {
      const deny = (reason: string, d = decided): ToolApprovalResponse => {
        outcomes.push({ call, caseId, approved: false, message: reason, ...(d ? { decided: d } : {}) });
        return { type: "tool-approval-response", approvalId: part.approvalId, approved: false, reason };
      };
      if (decided === undefined) {
        return deny(refusal!);
      }

      const args = approvedArguments(call, decided);
      if (args === undefined) {
        return deny(
          decided.isApproved
            ? `Not run: a person chose another action instead: ${JSON.stringify(decided.decision.result?.action ?? decided.decision.result)}.`
            : refusalFor(decided),
        );
      }

      const wrapped = this.#wrapped.has(call.toolName);
      if (!wrapped && !sameArguments(args, call.arguments)) {
        return deny(`Not run: a person changed the arguments to ${JSON.stringify(args)}. Call ${call.toolName} again with exactly these if it is still needed.`);
      }

      if (wrapped) {
        this.#decided.set(call.callId, decided, args);
      }

      outcomes.push({ call, caseId, approved: true, decided });
      return { type: "tool-approval-response", approvalId: part.approvalId, approved: true };
    });

    return { message: responses.length > 0 ? { role: "tool", content: responses } : undefined, outcomes };
  }
}

function callOf(part: ApprovalRequestPart): ToolCallForApproval {
  const input = part.toolCall.input;
  return {
    toolName: part.toolCall.toolName,
    callId: part.toolCall.toolCallId,
    arguments: input !== null && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : { input },
  };
}
