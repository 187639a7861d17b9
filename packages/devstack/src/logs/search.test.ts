import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { daemonLogFileName, keepDaemonLog } from "./files.js";
import { formatEntry, parseLogArgs, parseSince, readEntry, searchLogs, UsageError } from "./search.js";

const NOW = new Date("2026-12-07T12:00:00.000Z");

function line(time: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ level: "info", time, service: "x", ...fields });
}

describe("parseSince and parseLogArgs", () => {
  it("reads durations before now and ISO times", () => {
    expect(parseSince("10m", NOW).toISOString()).toBe("2026-12-07T11:50:00.000Z");
    expect(parseSince("2h", NOW).toISOString()).toBe("2026-12-07T10:00:00.000Z");
    expect(parseSince("30s", NOW).toISOString()).toBe("2026-12-07T11:59:30.000Z");
    expect(parseSince("1d", NOW).toISOString()).toBe("2026-12-06T12:00:00.000Z");
    expect(parseSince("2026-12-07T08:15:00Z", NOW).toISOString()).toBe("2026-12-07T08:15:00.000Z");
    expect(() => parseSince("yesterday", NOW)).toThrow(UsageError);
  });

  it("reads every flag, with a space or '=', and refuses what it does not know", () => {
    expect(
      parseLogArgs(["--grep", "Upload", "--id=<a@b>", "--daemon", "sms-gateway", "--since", "5m", "--json"], {
        dir: "/d",
        now: NOW,
      }),
    ).toEqual({
      dir: "/d",
      json: true,
      grep: "Upload",
      id: "<a@b>",
      daemon: "sms-gateway",
      since: new Date("2026-12-07T11:55:00.000Z"),
    });
    expect(parseLogArgs(["--dir", "/elsewhere"], { dir: "/d", now: NOW })).toEqual({
      dir: "/elsewhere",
      json: false,
    });
    expect(() => parseLogArgs(["--id"], { dir: "/d", now: NOW })).toThrow(/--id needs a value/);
    expect(() => parseLogArgs(["--follow"], { dir: "/d", now: NOW })).toThrow(/unknown argument "--follow"/);
  });
});

describe("searching the daemons' log files", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "isikhnas-logs-"));
    await writeFile(
      join(dir, "email-ingest.jsonl"),
      `${[
        line("2026-12-07T10:00:00.000Z", { msg: "piped mail handled", correlationId: "<m1@x>" }),
        line("2026-12-07T10:00:05.000Z", { msg: "piped mail handled", correlationId: "<m2@x>" }),
      ].join("\n")}\n`,
    );
    await writeFile(
      join(dir, "excel-processor.jsonl"),
      `${[
        line("2026-12-07T10:00:01.000Z", { msg: "upload processed", correlationId: "<m1@x>" }),
        line("2026-12-07T10:00:06.000Z", { level: "error", msg: "import failed", correlationId: "<m2@x>" }),
        "    at importWorkbook (import-workbook.ts:10:3)",
      ].join("\n")}\n`,
    );
    await writeFile(
      join(dir, "email-sender.jsonl"),
      `${line("2026-12-07T10:00:02.000Z", { msg: "emailoutput message finished", correlationId: "<m1@x>" })}\n`,
    );
    await writeFile(
      join(dir, "sms-gateway-live.jsonl"),
      `${line("2026-12-07T09:59:00.000Z", { msg: "sms handled", correlationId: "inbound:7" })}\n`,
    );
    await writeFile(
      join(dir, "sms-gateway-training.jsonl"),
      `${line("2026-12-07T10:00:03.000Z", { msg: "sms handled", correlationId: "inbound:8" })}\n`,
    );
    await writeFile(join(dir, "notes.txt"), "not a log\n");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function search(argv: string[]): Promise<string[]> {
    const out: string[] = [];
    await searchLogs(parseLogArgs(["--dir", dir, ...argv], { dir, now: NOW }), (text) => out.push(text));
    return out;
  }

  it("finds one correlation id in every daemon's file, merged in time order", async () => {
    expect(await search(["--id", "<m1@x>"])).toEqual([
      "2026-12-07 10:00:00.000  email-ingest          info   piped mail handled  [<m1@x>]",
      "2026-12-07 10:00:01.000  excel-processor       info   upload processed  [<m1@x>]",
      "2026-12-07 10:00:02.000  email-sender          info   emailoutput message finished  [<m1@x>]",
    ]);
  });

  it("merges every file in time order, whatever the file names' order", async () => {
    const times = (await search(["--json"])).map((text) =>
      text.startsWith("{") ? JSON.parse(text).time : text,
    );
    expect(times).toEqual([
      "2026-12-07T09:59:00.000Z",
      "2026-12-07T10:00:00.000Z",
      "2026-12-07T10:00:01.000Z",
      "2026-12-07T10:00:02.000Z",
      "2026-12-07T10:00:03.000Z",
      "2026-12-07T10:00:05.000Z",
      "2026-12-07T10:00:06.000Z",
      "    at importWorkbook (import-workbook.ts:10:3)",
    ]);
  });

  it("greps in any case, stack traces included, and keeps a line without a time at its file's last time", async () => {
    expect(await search(["--grep", "IMPORT"])).toEqual([
      "2026-12-07 10:00:06.000  excel-processor       error  import failed  [<m2@x>]",
      "2026-12-07 10:00:06.000  excel-processor                  at importWorkbook (import-workbook.ts:10:3)",
    ]);
  });

  it("takes one daemon by name (both environments) or by environment, and lines since a time", async () => {
    expect((await search(["--daemon", "sms-gateway"])).map((text) => text.slice(-11))).toEqual([
      "[inbound:7]",
      "[inbound:8]",
    ]);
    expect(await search(["--daemon", "sms-gateway-training", "--json"])).toHaveLength(1);
    expect(await search(["--since", "2026-12-07T10:00:04Z", "--json"])).toHaveLength(3);
    expect(await search(["--id", "<m2@x>", "--daemon", "email-ingest"])).toHaveLength(1);
  });

  it("prints the lines as written with --json, and nothing from a folder that does not exist", async () => {
    const [first] = await search(["--id", "<m1@x>", "--json"]);
    expect(JSON.parse(first ?? "")).toMatchObject({ msg: "piped mail handled", correlationId: "<m1@x>" });
    const out: string[] = [];
    const matched = await searchLogs({ dir: join(dir, "missing"), json: false }, (text) => out.push(text));
    expect({ matched, out }).toEqual({ matched: 0, out: [] });
  });

  it("reads pino's numeric levels, and text that is not JSON, without failing", () => {
    expect(readEntry("d", JSON.stringify({ level: 50, time: 1, msg: "m" }), 0)).toMatchObject({
      level: "error",
      time: 1,
    });
    const text = readEntry("d", "{not json", 42);
    expect(text).toMatchObject({ json: false, time: 42, msg: "{not json" });
    expect(formatEntry(text, 1)).toContain("{not json");
  });

  it("keeps a daemon's stdout and stderr lines in its file, after what earlier runs wrote", async () => {
    const file = join(dir, daemonLogFileName("sms-gateway", "training"));
    expect(file.endsWith("sms-gateway-training.jsonl")).toBe(true);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const shown: string[] = [];
    const kept = keepDaemonLog([stdout, stderr, null], file, (text) => shown.push(text));
    stdout.end(`${line("2026-12-07T11:00:00.000Z", { msg: "a" })}\n`);
    stderr.end("Error: boom\n");
    await kept.closed;
    const content = (await readFile(file, "utf8")).split("\n");
    expect(content).toHaveLength(4);
    expect(content.slice(1, 3).sort()).toEqual(
      [line("2026-12-07T11:00:00.000Z", { msg: "a" }), "Error: boom"].sort(),
    );
    expect(shown.sort()).toEqual(content.slice(1, 3).sort());
  });
});
