import type { CaseView, DecideRequest } from "@handoff/client";
import { reviewer, server } from "./env.js";

/**
 * Plays the person: looks through the pending cases (as a reviewer's inbox would) and decides each of this test's
 * (its facts carry `marker`) as `decide` says. The adapters submit the cases themselves, so this is how a test finds
 * them. Stop it with the returned function.
 */
export function person(marker: string, decide: (view: CaseView) => DecideRequest): { stop: () => void; decided: string[] } {
  let stopped = false;
  const decided: string[] = [];
  const inbox = reviewer();
  (async () => {
    while (!stopped) {
      const response = await fetch(`${server.url}/v1/cases?status=pending&limit=200`, { headers: { Authorization: `Bearer ${server.reviewerKey}` } });
      const page = (await response.json()) as { items: CaseView[] };
      for (const view of page.items) {
        if ((view.facts as { marker?: string } | undefined)?.marker === marker && !decided.includes(view.id)) {
          decided.push(view.id);
          await inbox.decide(view.id, decide(view));
        }
      }

      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { stop: () => (stopped = true), decided };
}
