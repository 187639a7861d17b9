// `npm run logs`: searches the local daemons' JSON log files line by line (never a whole
// file in memory) and prints the matches of every file merged in time order.
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { LOG_FILE_SUFFIX } from "./files.js";

export interface LogFilter {
  /** Case-insensitive text anywhere in the line. */
  grep?: string;
  /** The line's `correlationId`, exactly. */
  id?: string;
  /** A daemon's file name without `.jsonl` (`sms-gateway-training`), or its start (`sms-gateway`). */
  daemon?: string;
  /** Lines at or after this instant. */
  since?: Date;
}

export interface SearchOptions extends LogFilter {
  dir: string;
  /** The lines as written (JSON) instead of the readable form. */
  json: boolean;
}

export interface LogEntry {
  /** The file's daemon: its name without `.jsonl`. */
  daemon: string;
  /** Milliseconds since the epoch; a line without a time has its file's previous line's. */
  time: number;
  level: string;
  msg: string;
  correlationId: string | undefined;
  /** The line as written. */
  raw: string;
  /** False for what is not a JSON object (a crash's stack trace on stderr). */
  json: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
  /** `--help`: the usage was asked for, not a mistake. */
  readonly asked: boolean;
  constructor(message: string, asked = false) {
    super(message);
    this.asked = asked;
  }
}

const UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** pino's numeric levels, for lines written without the label formatter. */
const LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/** `10m`, `2h`, `30s`, `1d` before `now`, or an ISO date or date and time. */
export function parseSince(text: string, now: Date): Date {
  const relative = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (relative?.[1] && relative[2]) {
    return new Date(now.getTime() - Number(relative[1]) * (UNITS_MS[relative[2]] ?? 0));
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const absolute = new Date(text);
    if (!Number.isNaN(absolute.getTime())) return absolute;
  }
  throw new UsageError(`--since ${JSON.stringify(text)}: give a duration (10m, 2h, 30s, 1d) or an ISO time`);
}

const USAGE = `npm run logs -- [--grep TEXT] [--id CORRELATION_ID] [--daemon NAME] [--since 10m] [--json] [--dir DIR]
  --grep TEXT     lines containing TEXT (any case)
  --id ID         lines whose correlationId is ID: one message across every daemon
  --daemon NAME   one daemon's lines (sms-gateway, or sms-gateway-training for one environment)
  --since WHEN    lines from 10m, 2h, 1d ago, or from an ISO time
  --json          print the lines as written (JSON), not the readable form
  --dir DIR       the log folder (default: .local/logs, or $LOCAL_DATA_DIR/logs)`;

/** Reads the command line; `--help` and mistakes throw a UsageError with the usage. */
export function parseLogArgs(argv: readonly string[], defaults: { dir: string; now: Date }): SearchOptions {
  const options: SearchOptions = { dir: defaults.dir, json: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case "--grep":
        options.grep = value();
        break;
      case "--id":
        options.id = value();
        break;
      case "--daemon":
        options.daemon = value();
        break;
      case "--since":
        options.since = parseSince(value(), defaults.now);
        break;
      case "--dir":
        options.dir = value();
        break;
      case "--json":
        options.json = true;
        break;
      case "--help":
      case "-h":
        throw new UsageError(USAGE, true);
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  return options;
}

export function daemonMatches(daemon: string, wanted: string | undefined): boolean {
  return wanted === undefined || daemon === wanted || daemon.startsWith(`${wanted}-`);
}

/** Reads one line of a daemon's file; `previousTime` stands in for a line that has none. */
export function readEntry(daemon: string, raw: string, previousTime: number): LogEntry {
  let parsed: unknown;
  try {
    parsed = raw.startsWith("{") ? JSON.parse(raw) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { daemon, time: previousTime, level: "", msg: raw, correlationId: undefined, raw, json: false };
  }
  const line = parsed as Record<string, unknown>;
  const time =
    typeof line.time === "string" || typeof line.time === "number"
      ? new Date(line.time).getTime()
      : Number.NaN;
  const level =
    typeof line.level === "number" ? (LEVELS[line.level] ?? String(line.level)) : String(line.level ?? "");
  return {
    daemon,
    time: Number.isNaN(time) ? previousTime : time,
    level,
    msg: typeof line.msg === "string" ? line.msg : "",
    correlationId: typeof line.correlationId === "string" ? line.correlationId : undefined,
    raw,
    json: true,
  };
}

export function entryMatches(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.since && entry.time < filter.since.getTime()) return false;
  if (filter.id !== undefined && entry.correlationId !== filter.id) return false;
  if (filter.grep !== undefined && !entry.raw.toLowerCase().includes(filter.grep.toLowerCase())) return false;
  return true;
}

/** One file's matching entries, read line by line. */
export async function* readLogFile(file: string, filter: LogFilter): AsyncGenerator<LogEntry> {
  const daemon = basename(file, LOG_FILE_SUFFIX);
  const lines = createInterface({
    input: createReadStream(file, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let previousTime = 0;
  for await (const raw of lines) {
    if (raw === "") continue;
    const entry = readEntry(daemon, raw, previousTime);
    previousTime = entry.time;
    if (entryMatches(entry, filter)) yield entry;
  }
}

/**
 * Merges sources that are each in time order (a daemon appends its lines as they happen)
 * into one in time order, holding one entry per source.
 */
export async function* mergeByTime(sources: readonly AsyncIterator<LogEntry>[]): AsyncGenerator<LogEntry> {
  const heads = await Promise.all(sources.map((source) => source.next()));
  for (;;) {
    let earliest: number | undefined;
    for (const [index, head] of heads.entries()) {
      const best = earliest === undefined ? undefined : heads[earliest];
      if (!head.done && (!best || best.done || head.value.time < best.value.time)) earliest = index;
    }
    const head = earliest === undefined ? undefined : heads[earliest];
    const source = earliest === undefined ? undefined : sources[earliest];
    if (earliest === undefined || !head || head.done || !source) return;
    yield head.value;
    heads[earliest] = await source.next();
  }
}

/** The log files in `dir` whose daemon passes the filter, by name. */
export async function logFiles(dir: string, daemon?: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter(
      (name) => name.endsWith(LOG_FILE_SUFFIX) && daemonMatches(basename(name, LOG_FILE_SUFFIX), daemon),
    )
    .sort()
    .map((name) => join(dir, name));
}

/** `2026-12-07 19:31:08.123  email-sender      info   emailoutput message finished  [<id>]` */
export function formatEntry(entry: LogEntry, daemonWidth: number): string {
  const time = entry.time > 0 ? new Date(entry.time).toISOString().replace("T", " ").replace("Z", "") : "";
  const daemon = entry.daemon.padEnd(daemonWidth);
  if (!entry.json) return `${time.padEnd(23)}  ${daemon}  ${"".padEnd(5)}  ${entry.raw}`;
  const id = entry.correlationId ? `  [${entry.correlationId}]` : "";
  return `${time}  ${daemon}  ${entry.level.padEnd(5)}  ${entry.msg}${id}`;
}

/** Writes every matching line of every file in time order; resolves to how many matched. */
export async function searchLogs(options: SearchOptions, write: (line: string) => void): Promise<number> {
  const files = await logFiles(options.dir, options.daemon);
  const width = Math.max(0, ...files.map((file) => basename(file, LOG_FILE_SUFFIX).length));
  let matched = 0;
  for await (const entry of mergeByTime(files.map((file) => readLogFile(file, options)))) {
    matched += 1;
    write(options.json ? entry.raw : formatEntry(entry, width));
  }
  return matched;
}
