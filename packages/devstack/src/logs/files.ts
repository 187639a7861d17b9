// Keeps each local daemon's JSON log lines in a file of its own (`.local/logs/<daemon>.jsonl`,
// `<daemon>-<environment>.jsonl` for one process per environment), as journald keeps them in
// production, so `npm run logs` can search them after the terminal has scrolled on.
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

export const LOG_FILE_SUFFIX = ".jsonl";

/** `sms-gateway` + `training` → `sms-gateway-training.jsonl`; a daemon serving both: `email-sender.jsonl`. */
export function daemonLogFileName(daemon: string, environment?: string): string {
  return `${environment ? `${daemon}-${environment}` : daemon}${LOG_FILE_SUFFIX}`;
}

export interface KeptLog {
  /** Resolves once the stream has ended and every line is on disk. */
  closed: Promise<void>;
}

/**
 * Appends every line of `streams` (a daemon's stdout and stderr) to `file` and hands it to
 * `onLine` as well. Appending keeps what earlier runs wrote; lines go through one file
 * stream, whole, so the two streams never interleave inside a line.
 */
export function keepDaemonLog(
  streams: readonly (Readable | null | undefined)[],
  file: string,
  onLine: (line: string) => void = () => {},
): KeptLog {
  const out = createWriteStream(file, { flags: "a" });
  const ended = streams
    .filter((stream): stream is Readable => stream !== null && stream !== undefined)
    .map((stream) => {
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on("line", (line) => {
        out.write(`${line}\n`);
        onLine(line);
      });
      return new Promise<void>((resolve) => lines.once("close", resolve));
    });
  const closed = Promise.all(ended).then(
    () =>
      new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(resolve);
      }),
  );
  return { closed };
}

/** The folder of the daemons' log files, created when missing. */
export function ensureLogDir(dataDir: string): string {
  const dir = join(dataDir, "logs");
  mkdirSync(dir, { recursive: true });
  return dir;
}
