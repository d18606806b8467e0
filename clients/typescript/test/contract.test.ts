import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { promisify } from "node:util";

// The contract the SDK's types are generated from (docs/openapi.json, which the server's own tests keep equal to what
// it serves) passes redocly's recommended rules with no error and no warning.
const docs = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs");
const cli = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");

test("redocly lint finds no error and no warning in docs/openapi.json", async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [cli, "lint", join(docs, "openapi.json"), "--config", join(docs, "redocly.yaml"), "--format", "json"],
    { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
  ).catch((e: { stdout: string; stderr: string }) => e);
  const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };

  assert.deepEqual(report.problems.map((p) => `${p.ruleId}: ${p.message}`), [], stderr);
  assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 });
});
