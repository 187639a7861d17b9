// One place to search the logs, locally: a mail with a workbook through email-ingest's pipe,
// excel-processor and email-sender as real processes whose log lines are kept in files as
// `npm start` keeps them, then `npm run logs -- --id <Message-ID>` (the real command) finds
// that mail's lines in all three daemons' files.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { waitFor } from "@isikhnas/devstack/testing";
import { vaccinationRows } from "@isikhnas/workbooks/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPipeline, type Pipeline, rawMail } from "./pipeline.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

/** `npm run logs -- …` from source: what the root script runs once devstack is built. */
async function logs(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "packages/devstack/src/bin/logs.ts", ...args],
      { cwd: repoRoot },
    );
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "" };
  }
}

describe("npm run logs on the daemons' log files", () => {
  let pipeline: Pipeline;
  let logDir: string;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), "isikhnas-e2e-logs-"));
    pipeline = await openPipeline({ logDir });
    pipeline.startProcessor();
  });
  afterAll(async () => {
    await pipeline?.close();
    await rm(logDir, { recursive: true, force: true });
  });

  it("finds one mail's correlation id in email-ingest's, excel-processor's and email-sender's lines, in time order", async () => {
    const sender = await pipeline.senderAddress("paravet");
    const file = await pipeline.vaccinationWorkbook(vaccinationRows(4, new Date(Date.UTC(2025, 8, 1))));
    const mail = await rawMail(sender, file, "vaksinasi-september.xlsx");
    const messageId = /^Message-ID: (<[^>]+>)/im.exec(mail.toString("latin1"))?.[1] ?? "";
    expect(messageId).not.toBe("");
    expect(await pipeline.pipeMail(mail)).toBe(0);
    await pipeline.answersTo(sender);

    // email-sender logs its line as it acknowledges the message, just after SES took the mail.
    const found = await waitFor(
      async () => {
        const result = await logs(["--dir", logDir, "--id", messageId, "--json"]);
        const lines = result.stdout
          .split("\n")
          .filter(Boolean)
          .map((text) => JSON.parse(text) as Record<string, unknown>);
        const services = new Set(lines.map((line) => line.service));
        return services.has("email-sender") && lines;
      },
      { timeoutMs: 30_000, description: `email-sender's line for ${messageId}` },
    );
    expect(found.every((line) => line.correlationId === messageId)).toBe(true);
    const services = found.map((line) => line.service);
    // The Postfix pipe's process names itself email-ingest-pipe.
    expect(new Set(services)).toEqual(new Set(["email-ingest-pipe", "excel-processor", "email-sender"]));
    // Merged in time order, so the mail's way through the pipeline reads top to bottom.
    const times = found.map((line) => Date.parse(String(line.time)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(services[0]).toBe("email-ingest-pipe");
    expect(services.at(-1)).toBe("email-sender");
    expect(found.find((line) => line.service === "excel-processor")).toMatchObject({
      msg: "upload processed",
    });
    // The sender's address is in the ingest line, masked.
    expect(JSON.stringify(found)).not.toContain(sender);

    const readable = await logs(["--dir", logDir, "--id", messageId, "--daemon", "excel-processor"]);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(
      /^\d{4}-\d{2}-\d{2} [\d:.]+ {2}excel-processor {2}info {3}upload processed {2}\[<[^>]+>\]$/m,
    );
    expect(await logs(["--dir", logDir, "--id", "<nobody@nowhere>"])).toEqual({ code: 1, stdout: "" });
  });
});
