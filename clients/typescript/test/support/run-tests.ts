// Starts a real Handoff server for the test files, runs them with node's built-in runner, and stops it. Node 20's
// runner has no global setup, so this script is it: `npm test` (and test.sh) run it from the compiled output.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url)); // dist-test/support
const testRoot = resolve(here, "..");
const repo = resolve(here, "../../../..");
const dll = process.env.HANDOFF_DLL ?? join(repo, "src/Handoff.Cli/bin/Release/net10.0/handoff.dll");

// Cases whose facts say review go to a person; the rest follow the built-in rules (no confidence → review,
// confidence ≥ 0.75 → approved by the policy).
const policy = `defaults:
  confidenceFloor: 0.75
  lowConfidence: review
  team: support
rules:
  - id: sdk-review
    when:
      facts.review: { eq: true }
    outcome: review
    reason: The TypeScript SDK's tests send this case to a person.
`;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => done(port));
    });
  });
}

function key(data: string, role: string): string {
  return execFileSync("dotnet", [dll, "keys", "create", "--data", data, "--role", role, "--name", `ts-sdk ${role}`], { encoding: "utf8" }).trim();
}

async function ready(url: string, server: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) {
      throw new Error(`The Handoff server exited with ${server.exitCode} before it was ready:\n${log()}`);
    }

    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) {
        return;
      }
    } catch {
      // not listening yet
    }

    await new Promise((r) => setTimeout(r, 100));
  }

  throw new Error(`The Handoff server did not become ready:\n${log()}`);
}

const data = mkdtempSync(join(tmpdir(), "handoff-ts-"));
let server: ChildProcess | undefined;
let code = 1;
try {
  writeFileSync(join(data, "policy.yaml"), policy);
  const keys = { agent: key(data, "agent"), reviewer: key(data, "reviewer"), admin: key(data, "admin") };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  server = spawn("dotnet", [dll, "serve", "--data", data, "--urls", url, "--policy", join(data, "policy.yaml")], {
    // Webhook deliveries to a receiver on this machine (the webhook test) must be allowed explicitly.
    env: { ...process.env, Handoff__Webhooks__AllowedNetworks__0: "127.0.0.0/8" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  server.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  await ready(url, server, () => output);

  const files = readdirSync(testRoot, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.js"))
    .map((f) => join(testRoot, f))
    .sort();
  const runner = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files], {
    env: {
      ...process.env,
      HANDOFF_URL: url,
      HANDOFF_AGENT_KEY: keys.agent,
      HANDOFF_REVIEWER_KEY: keys.reviewer,
      HANDOFF_ADMIN_KEY: keys.admin,
    },
    stdio: "inherit",
  });
  code = await new Promise<number>((done) => runner.on("exit", (c) => done(c ?? 1)));
  if (code !== 0 && process.env.HANDOFF_TEST_SERVER_LOG) {
    console.log(output);
  }
} finally {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server!.once("exit", r));
  }

  rmSync(data, { recursive: true, force: true });
}

process.exit(code);
