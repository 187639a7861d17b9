// `npm start` (the embedded PostgreSQL 15, production's major version) and `npm run ops --
// training refresh` against it with the installed 15 tools: the local stack's training is
// rebuilt from its live in seconds.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commonDaemonEnv, freePort, localLayout, startLocalStack } from "@isikhnas/devstack";
import { findSystemPostgresBinDir, waitFor } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "../program.js";

const binDir = findSystemPostgresBinDir();

describe.skipIf(!binDir)("the local stack's training refresh", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "isikhnas-local-training-"));
    await chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("rebuilds training from live in seconds and starts the instant copy", { timeout: 120_000 }, async () => {
    const layout = localLayout({
      LOCAL_DATA_DIR: dataDir,
      LOCAL_PG_PORT: String(await freePort()),
      LOCAL_AWS_PORT: "0",
      LOCAL_SES_PORT: "0",
    });
    const stack = await startLocalStack(layout, () => {});
    try {
      const env = commonDaemonEnv(layout, stack);
      const run = async (...args: string[]) => {
        const lines: string[] = [];
        await createProgram({ env, out: (line) => lines.push(line) }).parseAsync([
          "node",
          "isikhnas",
          ...args,
        ]);
        return lines.join("\n");
      };
      expect(await run("training", "refresh")).toMatch(/training refreshed: \d+ rows/);
      await waitFor(async () => (await run("training", "status").catch(() => "")).includes(" active,"), {
        description: "the subscription to stream",
      });
    } finally {
      await stack.stop();
    }
  });
});
