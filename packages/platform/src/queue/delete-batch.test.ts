import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { MessageInputOf } from "@isikhnas/contracts";
import { createTestStack, type TestStack, waitFor, waitForQueueDrained } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database.js";
import { createLogger } from "../logger.js";
import { provisionQueue } from "../provision.js";
import { createConsumer } from "./consumer.js";
import { outcome } from "./outcome.js";
import { createProducer } from "./producer.js";

const VISIBILITY_SECONDS = 2;
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

describe("batched deletes", () => {
  let stack: TestStack;
  let db: Database;
  beforeAll(async () => {
    stack = await createTestStack({ database: "empty" });
    db = stack.openDatabase({ poolMax: 2, statementTimeoutMs: 10_000 });
    await db.query("CREATE TABLE handled_effects (key text PRIMARY KEY)");
    await db.query("CREATE TABLE handler_runs (key text NOT NULL, runner text NOT NULL)");
    await provisionQueue(stack.sqs, stack.prefix, "emailoutput", { maxReceiveCount: 5 });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("a consumer killed after handling, before its delete batch went out, leaves the message to come again, its effect once", async () => {
    const message: MessageInputOf<"emailoutput"> = {
      type: "emailoutput",
      version: 1,
      id: `crash-${stack.id}`,
      environment: "live",
      to: ["vet@example.id"],
      subject: "s",
      text: "t",
    };
    await createProducer({ sqs: stack.sqs }, { prefix: stack.prefix }).send("emailoutput", message);

    const crashing = spawn(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        fileURLToPath(new URL("./fixtures/crash-after-handling.ts", import.meta.url)),
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, ...stack.env, VISIBILITY_SECONDS: String(VISIBILITY_SECONDS) },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    const [, signal] = (await once(crashing, "exit")) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe("SIGKILL");
    const committed = await db.query("SELECT key FROM handled_effects");
    expect(committed.rows).toEqual([{ key: message.id }]);

    // The next consumer is handed the same message once its visibility timeout ends.
    const next = createConsumer(
      { sqs: stack.sqs, logger: createLogger({ name: "delete-batch-test", level: "silent" }) },
      {
        queue: "emailoutput",
        prefix: stack.prefix,
        visibilityTimeoutSeconds: 30,
        waitTimeSeconds: 1,
        handler: async (received) => {
          await db.query("INSERT INTO handler_runs (key, runner) VALUES ($1, 'next')", [received.id]);
          await db.query("INSERT INTO handled_effects (key) VALUES ($1) ON CONFLICT (key) DO NOTHING", [
            received.id,
          ]);
          return outcome.done();
        },
      },
    );
    await next.start();
    try {
      await waitFor(
        async () => (await db.query("SELECT 1 FROM handler_runs WHERE runner = 'next'")).rows.length > 0,
        { timeoutMs: 30_000, description: "the message delivered again" },
      );
      await waitForQueueDrained(stack, "emailoutput");
    } finally {
      await next.stop();
    }
    const runs = await db.query<{ runner: string }>("SELECT runner FROM handler_runs ORDER BY runner");
    expect(runs.rows.map((row) => row.runner)).toEqual(["crashed", "next"]);
    const effects = await db.query("SELECT key FROM handled_effects");
    expect(effects.rows).toEqual([{ key: message.id }]);
  });
});
