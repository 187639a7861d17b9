// The probes: each answers ok or not with a line saying why, and never throws (a probe that
// throws or hangs past its timeout is a failure of what it probes).
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { isPlatformError, type QueueAges, queueStats, toError } from "@isikhnas/platform";
import pg from "pg";
import type { CheckResult, MonitorStore } from "./store.js";

export interface Probe {
  /** Names of the checks it answers for (a queue probe answers for several). */
  readonly names: readonly string[];
  run(now: Date): Promise<CheckResult[]>;
}

export function describeError(error: unknown): string {
  const cause = toError(error);
  const code = (cause as { code?: unknown }).code;
  return typeof code === "string" && !cause.message.includes(code)
    ? `${code}: ${cause.message}`
    : cause.message;
}

/** Runs a probe against a deadline; what it does not answer in time fails. */
export async function runProbe(probe: Probe, now: Date, timeoutMs: number): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const failAll = (detail: string) => probe.names.map((name) => ({ name, ok: false, detail }));
  try {
    return await Promise.race([
      probe.run(now),
      new Promise<CheckResult[]>((resolve) => {
        timer = setTimeout(() => resolve(failAll(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    return failAll(describeError(error));
  } finally {
    clearTimeout(timer);
  }
}

/** A daemon's /readyz answers 200. */
export function readinessProbe(target: { name: string; url: string }, timeoutMs: number): Probe {
  const name = `readyz:${target.name}`;
  return {
    names: [name],
    async run() {
      try {
        const response = await fetch(target.url, { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return [{ name, ok: response.status === 200, detail: `HTTP ${response.status}` }];
      } catch (error) {
        return [{ name, ok: false, detail: describeError(toError(error).cause ?? error) }];
      }
    },
  };
}

/**
 * Backlog and dead letters of each queue, from GetQueueAttributes (a receive would change
 * the messages' visibility and receive counts), and the age of each queue's oldest message
 * from `ages` (CloudWatch on AWS, the emulator's inspection locally). Without `ages`, or when
 * they cannot be read, the age is how long the queue has had messages waiting without once
 * being seen empty: an upper bound, kept in the store across restarts, which a queue busy
 * for long with young messages can exceed.
 */
export function queueProbe(
  deps: { sqs: SQSClient; prefix: string; store: MonitorStore; ages?: QueueAges | undefined },
  options: { queues: readonly string[]; maxAgeSeconds: number; maxDeadLetters: number },
): Probe {
  const names = options.queues.flatMap((queue) => [`queue:${queue}`, `dead-letters:${queue}`]);
  return {
    names,
    async run(now) {
      let stats: Awaited<ReturnType<typeof queueStats>>;
      try {
        stats = await queueStats(deps.sqs, deps.prefix, options.queues);
      } catch (error) {
        const detail = isPlatformError(error) ? error.message : describeError(error);
        return names.map((name) => ({ name, ok: false, detail: `SQS: ${detail}` }));
      }
      let measured: Map<string, number> | undefined;
      let unmeasured = "";
      if (deps.ages && stats.some((queue) => queue.depth > 0)) {
        try {
          measured = await deps.ages(options.queues);
        } catch (error) {
          unmeasured = `; the oldest's age unread (${describeError(error)})`;
        }
      }
      return stats.flatMap((queue) => {
        const since = deps.store.queueWaitingSince(queue.queue, queue.depth, now);
        const bound = since ? Math.round((now.getTime() - since.getTime()) / 1000) : 0;
        // A queue seen empty now has no old message, whatever a lagging metric still says.
        const age = queue.depth === 0 ? 0 : measured ? Math.round(measured.get(queue.queue) ?? 0) : bound;
        return [
          {
            name: `queue:${queue.queue}`,
            ok: age <= options.maxAgeSeconds,
            detail:
              queue.depth === 0
                ? `empty (${queue.inFlight} in flight)`
                : measured
                  ? `${queue.depth} waiting, the oldest for ${age} s (limit ${options.maxAgeSeconds} s), ${queue.inFlight} in flight`
                  : `${queue.depth} waiting for up to ${age} s (limit ${options.maxAgeSeconds} s), ${queue.inFlight} in flight${unmeasured}`,
          },
          {
            name: `dead-letters:${queue.queue}`,
            ok: queue.deadLetterDepth <= options.maxDeadLetters,
            detail: `${queue.deadLetterDepth} dead letter(s)`,
          },
        ];
      });
    },
  };
}

/** PostgreSQL answers `SELECT 1` on a fresh connection, within the timeout. */
export function databaseProbe(databaseUrl: string, timeoutMs: number): Probe {
  return {
    names: ["postgres"],
    async run() {
      const client = new pg.Client({
        connectionString: databaseUrl,
        connectionTimeoutMillis: timeoutMs,
        statement_timeout: timeoutMs,
        query_timeout: timeoutMs,
        application_name: "isikhnas-monitor",
      });
      // A connection dropped after connect must not crash the process.
      client.on("error", () => {});
      try {
        await client.connect();
        await client.query("SELECT 1");
        return [{ name: "postgres", ok: true, detail: "SELECT 1 answered" }];
      } catch (error) {
        return [{ name: "postgres", ok: false, detail: describeError(error) }];
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

/** Age in seconds of the newest message file in a folder (undefined when there is none). */
async function newestFileAge(dir: string, now: Date): Promise<number | undefined> {
  let newest = 0;
  for (const name of await readdir(dir)) {
    if (name.startsWith(".")) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info?.isFile() && info.mtimeMs > newest) newest = info.mtimeMs;
  }
  return newest === 0 ? undefined : (now.getTime() - newest) / 1000;
}

/**
 * The SMS modem is alive: smsd rewrites its status file while it runs, or (where that is
 * off) something was sent recently. A quiet night can fail the sent-folder form, so it is
 * meant to run with the canary, whose replies go out through the modem.
 */
export function modemProbe(
  source: { statusFile: string } | { sentDir: string },
  maxAgeSeconds: number,
): Probe {
  return {
    names: ["sms-modem"],
    async run(now) {
      try {
        const age =
          "statusFile" in source
            ? (now.getTime() - (await stat(source.statusFile)).mtimeMs) / 1000
            : await newestFileAge(source.sentDir, now);
        const what = "statusFile" in source ? "smsd's status file" : "the newest sent SMS";
        if (age === undefined) return [{ name: "sms-modem", ok: false, detail: "nothing sent yet" }];
        const seconds = Math.max(0, Math.round(age));
        return [
          {
            name: "sms-modem",
            ok: seconds <= maxAgeSeconds,
            detail: `${what} is ${seconds} s old (limit ${maxAgeSeconds} s)`,
          },
        ];
      } catch (error) {
        return [{ name: "sms-modem", ok: false, detail: describeError(error) }];
      }
    },
  };
}
