// Transient database unavailability (a restart, a failover, a refused or cut connection)
// as a logged, backed-off wait rather than a fatal exit; any other error stays fatal.
import { backoff, type Logger } from "@isikhnas/platform";

const UNAVAILABLE_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

// SQLSTATE: the server shutting down or starting up, or out of connection slots.
const UNAVAILABLE_SQLSTATE = new Set(["57P01", "57P02", "57P03", "53300"]);

/** pg's own messages for a connection lost or never made (they carry no code). */
const UNAVAILABLE_MESSAGE = /^Connection terminated|timeout exceeded when trying to connect/;

/**
 * Whether an error means the database cannot be reached for now. A wrong password, a
 * missing database or table, a bad statement are not: waiting would not fix them.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.has(code)) return true;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (UNAVAILABLE_MESSAGE.test(error.message)) return true;
  // AggregateError from a host name resolving to several addresses, all refused.
  return error instanceof AggregateError && error.errors.some(isDatabaseUnavailable);
}

export interface RetryOptions {
  logger: Logger;
  /** What is being done, for the log. */
  what: string;
  /** Stops the waiting: the task is then not tried again and undefined returned. */
  signal: AbortSignal;
  baseMs?: number;
  maxMs?: number;
}

/**
 * Runs the task until it succeeds, waiting with backoff while the database is unavailable.
 * Other errors are thrown at once. Undefined when stopped before the task succeeded.
 */
export async function retryWhileUnavailable<T>(
  task: () => Promise<T>,
  options: RetryOptions,
): Promise<T | undefined> {
  const { logger, what, signal, baseMs = 250, maxMs = 30_000 } = options;
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const delayMs = backoff({ attempt, baseMs, maxMs, jitter: 0.2 });
      logger.warn({ err: error, attempt, delayMs }, `${what}: database unavailable, trying again`);
      await pause(delayMs, signal);
    }
  }
  return undefined;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
