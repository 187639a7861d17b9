import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import {
  DEMO_USERS,
  handleInboundMessage,
  imAlertsEnabled,
  seedDemoData,
  seedReferenceData,
} from "@isikhnas/domain";
import { DEAD_LETTER_REASON, deadLetterQueueUrl, queueStats, queueUrl } from "@isikhnas/platform";
import { readWorkbook, scratchDir } from "@isikhnas/workbooks/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "./program.js";

async function userId(
  db: { query: (text: string, values: unknown[]) => Promise<{ rows: { user_id: number }[] }> },
  phone: string,
) {
  const { rows } = await db.query("SELECT user_id FROM contacts WHERE channel = 'sms' AND address = $1", [
    phone,
  ]);
  return rows[0]?.user_id;
}

async function run(env: Record<string, string | undefined>, ...args: string[]) {
  const lines: string[] = [];
  const program = createProgram({ env, out: (line) => lines.push(line) });
  await program.parseAsync(["node", "isikhnas", ...args]);
  return lines.join("\n");
}

// Each test stands alone: the shared stack is a migrated database with the reference data
// loaded, which no test changes in a way another one reads; the migrate test takes its own
// empty database.
describe("isikhnas operator command", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
    await seedReferenceData(stack.openDatabase({ poolMax: 1, statementTimeoutMs: 5000 }));
  });
  afterAll(async () => {
    await stack.close();
  });

  it("migrates an empty database, then reports it up to date, and seeds reference data", async ({
    onTestFinished,
  }) => {
    const empty = await createTestStack({ database: "empty" });
    onTestFinished(() => empty.close());
    const first = await run(empty.env, "migrate", "--seed");
    expect(first).toMatch(/applied: 0001_foundation, 0002_/);
    expect(first).toContain("reference data loaded");
    expect(await run(empty.env, "migrate")).toBe("database is up to date");
  });

  it("provisions queues, shows their stats, lists dead letters with reasons and redrives them", async () => {
    const provisioned = await run(stack.env, "provision");
    expect(provisioned).toContain(`${stack.prefix}emailinput-dlq`);
    expect(provisioned).toContain(`bucket ${stack.prefix}queuefiles`);

    const dlq = await deadLetterQueueUrl(stack.sqs, stack.prefix, "emailoutput");
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: '{"not":"a valid message"}',
        MessageAttributes: {
          [DEAD_LETTER_REASON]: { DataType: "String", StringValue: "schema: missing field id" },
        },
      }),
    );

    const stats = JSON.parse(await run(stack.env, "queues", "stats", "--json")) as {
      queue: string;
      deadLetterDepth: number;
    }[];
    expect(stats.find((row) => row.queue === "emailoutput")?.deadLetterDepth).toBe(1);
    expect(await run(stack.env, "queues", "stats")).toMatch(/emailoutput\s+0\s+0\s+0\s+1/);

    const listed = await run(stack.env, "queues", "dead-letters", "emailoutput");
    expect(listed).toContain("reason: schema: missing field id");
    expect(listed).toContain('{"not":"a valid message"}');

    expect(await run(stack.env, "queues", "redrive", "emailoutput")).toBe(
      "moved 1 message(s) back to emailoutput",
    );
    const after = JSON.parse(await run(stack.env, "queues", "stats", "--json")) as {
      queue: string;
      depth: number;
      deadLetterDepth: number;
    }[];
    const row = after.find((entry) => entry.queue === "emailoutput");
    expect(row).toMatchObject({ depth: 1, deadLetterDepth: 0 });
    expect(await queueUrl(stack.sqs, stack.prefix, "emailoutput")).toContain(`${stack.prefix}emailoutput`);
  });

  it("writes the blank template of a template id, and names the ids it knows", async ({ onTestFinished }) => {
    const scratch = await scratchDir();
    onTestFinished(() => scratch.remove());
    const file = join(scratch.dir, "tally.xlsx");
    expect(await run(stack.env, "template", "vaccination_tally", "--out", file, "--language", "en")).toBe(
      `wrote ${file}`,
    );
    const book = await readWorkbook(await readFile(file));
    expect(book.worksheets.map((sheet) => sheet.state)).toContain("hidden");
    expect(book.worksheets[0]?.getRow(1).values).toContain("Species *");
    await expect(run(stack.env, "template", "nothing")).rejects.toThrow(
      /unknown template "nothing": expected one of .*vaccination_tally/,
    );
  });

  it("lists e-mails left in doubt by a crash", async () => {
    expect(await run(stack.env, "mail-in-doubt")).toBe("no e-mails in doubt");
    const db = stack.openDatabase({ poolMax: 1, statementTimeoutMs: 5000 });
    const send = await db.query<{ id: number }>(
      "INSERT INTO email_sends (message_key, environment, subject, status) VALUES ('alert:1', 'live', 'Wabah', 'done') RETURNING id",
    );
    await db.query(
      "INSERT INTO outbound_emails (send_id, recipient, status, claimed_at, error_reason) VALUES ($1, 'vet@example.id', 'unknown', now(), 'socket hang up'), ($1, 'ok@example.id', 'sent', now(), NULL)",
      [send.rows[0]?.id],
    );
    const listed = await run(stack.env, "mail-in-doubt");
    expect(listed).toContain('vet@example.id  "Wabah"  (alert:1)\n  reason: socket hang up');
    expect(listed).not.toContain("ok@example.id");
  });

  it("unlinks a user's chat accounts by phone and lists IM messages in doubt", async () => {
    const db = stack.openDatabase({ poolMax: 1, statementTimeoutMs: 5000 });
    await seedDemoData(db);
    const vet = DEMO_USERS.district_vet;
    expect(await run(stack.env, "im", "in-doubt")).toBe("no IM messages in doubt");
    await db.query(
      "INSERT INTO outbound_messages (channel, address, body, kind, status, last_error) VALUES ('im', '4242', 'x', 'alert', 'unknown', 'socket hang up')",
    );
    expect(await run(stack.env, "im", "in-doubt")).toMatch(/chat 4242 {2}alert\n {2}reason: socket hang up/);
    const local = `0${vet.phone.slice(2)}`;
    expect(await run(stack.env, "im", "unlink", local)).toBe(
      `unlinked 1 chat account(s) of ${vet.name} (user ${await userId(db, vet.phone)})`,
    );
    const { rows } = await db.query(
      "SELECT 1 FROM contacts WHERE channel = 'im' AND address = $1 AND deleted_at IS NULL",
      [vet.imId],
    );
    expect(rows).toHaveLength(0);
    expect(await run(stack.env, "im", "unlink", local)).toMatch(/had no linked chat account/);
    await expect(run(stack.env, "im", "unlink", "6289999999999")).rejects.toThrow(/no user found/);
  });

  it("shows and sets whether case alerts go by IM to linked officers", async () => {
    expect(await run(stack.env, "im", "alerts")).toMatch(/^IM alerts off/);
    expect(await run(stack.env, "im", "alerts", "on")).toMatch(/^IM alerts on/);
    const db = stack.openDatabase({ poolMax: 1, statementTimeoutMs: 5000 });
    expect(await imAlertsEnabled(db)).toBe(true);
    expect(await run(stack.env, "im", "alerts", "off")).toMatch(/^IM alerts off/);
    expect(await imAlertsEnabled(db)).toBe(false);
    await expect(run(stack.env, "im", "alerts", "maybe")).rejects.toThrow(/neither on nor off/);
  });

  it("lists the reports, asks for a run, refuses to repeat a sent one without --force, and records a forced re-run", async () => {
    await stack.provision({ queues: ["reportrequest"], buckets: [] });
    expect(await run(stack.env, "report", "list")).toContain(
      "district-case-summary  [monthly, +7 h local; per district]",
    );
    const ask = (...extra: string[]) =>
      run(
        stack.env,
        "report",
        "run",
        "district-case-summary",
        "--period",
        "2026-11",
        "--scope",
        "7206",
        ...extra,
      );
    expect(await ask()).toBe("asked for district-case-summary 2026-11 7206 (live)");
    const db = stack.openDatabase({ poolMax: 1, statementTimeoutMs: 5000 });
    await db.query(
      `INSERT INTO report_runs (report_code, period, scope, status, sent_at) VALUES ('district-case-summary', '2026-11', '7206', 'sent', now())`,
    );
    await expect(ask()).rejects.toThrow(/exists \(run \d+, sent, sent .*use --force --reason/);
    const forced = await ask("--force", "--reason", "figures corrected", "--to", "ops@example.org");
    expect(forced).toMatch(/^run \d+: generation 2 of district-case-summary 2026-11 7206/);
    const runs = await run(stack.env, "report", "runs", "--report", "district-case-summary");
    expect(runs).toMatch(/g2 {2}due {2}operator.*\n {2}re-run: figures corrected/);
    const { rows } = await db.query<{ recipients: string[] }>(
      "SELECT recipients FROM report_runs WHERE generation = 2",
    );
    expect(rows[0]?.recipients).toEqual(["ops@example.org"]);
    const [stats] = await queueStats(stack.sqs, stack.prefix, ["reportrequest"]);
    expect(stats?.depth).toBe(2);
  });

  it("builds a report into a folder with --out, as report-generator would, and records or sends nothing", async () => {
    await stack.provision({ queues: ["reportrequest"], buckets: [] });
    const db = stack.openDatabase({ poolMax: 2, statementTimeoutMs: 5000 });
    await seedDemoData(db);
    const reporter = DEMO_USERS.village_reporter.phone;
    for (const [text, at] of [
      ["U mc,dm sp 4", "2025-03-10T02:00:00Z"],
      ["U mc sp 2", "2025-03-20T02:00:00Z"],
    ] as const) {
      const result = await handleInboundMessage(db, {
        channel: "sms",
        sender: reporter,
        text,
        receivedAt: new Date(at),
        externalId: `preview-${at}`,
        environment: "live",
      });
      expect(result.reply?.body).toMatch(/\d{2,}/);
    }
    const [before] = await queueStats(stack.sqs, stack.prefix, ["reportrequest"]);
    const scratch = await scratchDir();
    const out = join(scratch.dir, "preview");
    const printed = await run(
      stack.env,
      "report",
      "run",
      "district-case-summary",
      "--period",
      "2025-03",
      "--scope",
      "7206",
      "--out",
      out,
      "--language",
      "en",
    );
    expect(printed).toMatch(/^\[iSIKHNAS\] · District case summary · .*March 2025/);
    const pdf = join(out, "district-case-summary-7206-2025-03-en.pdf");
    expect(printed).toContain(pdf);
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"]).toString().replace(/\s+/g, " ");
    expect(text).toContain("Morowali");
    expect(text).toContain("March 2025 (WITA)");
    expect(text).toContain("Bungku Tengah 2 0 6 0");
    const html = await readFile(join(out, "email.html"), "utf8");
    expect(html).not.toContain("cid:");
    expect(html).toContain('src="chart-1.png"');
    const png = await readFile(join(out, "chart-1.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const workbook = await readWorkbook(
      await readFile(join(out, "district-case-summary-7206-2025-03-en.xlsx")),
    );
    expect(workbook.worksheets.length).toBeGreaterThan(0);
    expect((await db.query("SELECT 1 FROM report_runs WHERE period = '2025-03'")).rowCount).toBe(0);
    const [after] = await queueStats(stack.sqs, stack.prefix, ["reportrequest"]);
    expect(after?.depth).toBe(before?.depth);
    await expect(
      run(
        stack.env,
        "report",
        "run",
        "district-case-summary",
        "--period",
        "2025-13",
        "--scope",
        "7206",
        "--out",
        out,
      ),
    ).rejects.toThrow(/"2025-13" is not a period/);
    await scratch.remove();
  });

  it("refuses an unknown queue and names missing configuration", async () => {
    await expect(run(stack.env, "queues", "redrive", "nosuchqueue")).rejects.toThrow(
      /unknown queue "nosuchqueue"/,
    );
    await expect(run({}, "migrate")).rejects.toThrow(/DATABASE_URL: is required but missing/);
  });
});
