import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { createBuckets, createProducer, type Database } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const RECIPIENTS = 10_000;
const CONCURRENCY = 16;

describe("a 10,000-recipient broadcast", () => {
  let stack: TestStack;
  let db: Database;
  const children: ChildProcess[] = [];

  /** The daemon as systemd runs it, in a process of its own that the test can kill. */
  function startSender(): ChildProcess {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", entry], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        ...stack.env,
        MAIL_FROM: "iSIKHNAS <peringatan@isikhnas.example>",
        SEND_RATE_PER_SECOND: "5000",
        SEND_CONCURRENCY: String(CONCURRENCY),
        SEND_LEASE_SECONDS: "3",
        EMAILOUTPUT_VISIBILITY_SECONDS: "6",
        LOG_LEVEL: "silent",
      },
      stdio: "ignore",
    });
    children.push(child);
    return child;
  }

  async function counts() {
    const { rows } = await db.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM outbound_emails GROUP BY status",
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.n])) as Record<string, number | undefined>;
  }

  beforeAll(async () => {
    stack = await createTestStack();
    await stack.provision();
    db = stack.openDatabase({ poolMax: 2 });
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await stack.close();
  });

  it("sends one mail per recipient and resumes after a crash without sending anyone a second", async ({
    annotate,
  }) => {
    const domain = `${stack.id}.district.example`;
    const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `officer${i}@${domain}`);
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    await buckets.reports.put("alerts/outbreak-72.txt", `${addresses.join("\n")}\n`);
    await createProducer({ sqs: stack.sqs }, { prefix: stack.prefix }).send("emailoutput", {
      type: "emailoutput",
      version: 1,
      id: `alert-${stack.id}`,
      environment: "live",
      recipientList: { bucket: "reports", key: "alerts/outbreak-72.txt" },
      subject: "[iSIKHNAS] Peringatan wabah: Sulawesi Tengah",
      text: "Kasus prioritas dilaporkan di provinsi Anda.",
    });

    const first = startSender();
    await waitFor(async () => ((await counts()).sent ?? 0) >= 2_000, {
      timeoutMs: 90_000,
      description: "2,000 sent",
    });
    first.kill("SIGKILL");
    await once(first, "exit");
    const atCrash = await counts();
    expect(atCrash.pending ?? 0).toBeGreaterThan(0);

    const second = startSender();
    await waitFor(
      async () =>
        (
          await db.query("SELECT 1 FROM email_sends WHERE message_key = $1 AND status = 'done'", [
            `alert-${stack.id}`,
          ])
        ).rows.length > 0,
      { timeoutMs: 150_000, intervalMs: 250, description: "the broadcast to finish" },
    );
    second.kill("SIGTERM");
    await once(second, "exit");

    const final = await counts();
    const { rows } = await db.query<{ recipient: string; status: string }>(
      "SELECT recipient, status FROM outbound_emails",
    );
    expect(rows).toHaveLength(RECIPIENTS);
    expect(final.failed ?? 0).toBe(0);
    expect(final.pending ?? 0).toBe(0);
    expect(final.sending ?? 0).toBe(0);

    const delivered = new Map<string, number>();
    for (const mail of await stack.mailbox.list()) {
      for (const to of mail.destination.to) {
        if (to.endsWith(`@${domain}`)) delivered.set(to, (delivered.get(to) ?? 0) + 1);
      }
    }
    // Nobody got the alert twice.
    expect([...delivered.values()].filter((count) => count > 1)).toEqual([]);
    // Every recipient recorded as sent got it exactly once. The only others are rows the
    // crash caught inside the SES call (at most one per worker): recorded 'unknown', never
    // resent, so each of them got the alert once or not at all.
    const unknown = rows.filter((row) => row.status === "unknown");
    expect(unknown.length).toBeLessThanOrEqual(CONCURRENCY);
    for (const row of rows) {
      if (row.status === "sent") expect(delivered.get(row.recipient), row.recipient).toBe(1);
    }
    expect(delivered.size).toBeGreaterThanOrEqual(RECIPIENTS - unknown.length);
    expect(new Set(rows.map((row) => row.recipient))).toEqual(new Set(addresses));
    await annotate(
      `sent before the crash: ${atCrash.sent ?? 0}; in doubt after it: ${unknown.length} ` +
        `(${unknown.filter((row) => delivered.has(row.recipient)).length} of them reached SES)`,
    );
  }, 300_000);
});
