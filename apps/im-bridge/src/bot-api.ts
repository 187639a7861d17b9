// The Bot API client: grammY's Api with auto-retry for Telegram's 429 `retry_after`.
// sendMessage gets a stricter policy than the rest: a lost answer or a server error may
// hide a message Telegram delivered, so it is never retried blindly but rethrown for the
// sender to put the row in doubt; other methods (getUpdates, getFile) retry freely.
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, GrammyError, HttpError } from "grammy";

export interface BotApiOptions {
  token: string;
  apiRoot: string;
  /** Longest wait for one call; long polls add their own timeout to it. */
  timeoutSeconds: number;
  /** A 429 asking for a longer wait than this is handed back (the row waits in the database). */
  maxRetryAfterSeconds?: number;
}

export function createBotApi(options: BotApiOptions): Api {
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: options.timeoutSeconds });
  const forSends = autoRetry({
    maxDelaySeconds: options.maxRetryAfterSeconds ?? 60,
    maxRetryAttempts: 3,
    rethrowHttpErrors: true,
    rethrowInternalServerErrors: true,
  });
  const forReads = autoRetry({ maxDelaySeconds: 300, maxRetryAttempts: 5 });
  api.config.use((previous, method, payload, signal) =>
    method === "sendMessage"
      ? forSends(previous, method, payload, signal)
      : forReads(previous, method, payload, signal),
  );
  return api;
}

export type SendFailure =
  /** Telegram answered and did not send: try again later (429, 5xx-free transient codes). */
  | { kind: "retry"; reason: string; retryAfterSeconds?: number }
  /** Telegram answered and will never send it (chat not found, bot blocked, bad request). */
  | { kind: "permanent"; reason: string }
  /** No answer (connection lost, timeout) or a server error: it may have been sent. */
  | { kind: "unknown"; reason: string };

/** What a failed sendMessage means for its row. */
export function classifySendFailure(error: unknown): SendFailure {
  if (error instanceof GrammyError) {
    const reason = `${error.error_code} ${error.description}`;
    if (error.error_code === 429) {
      const retryAfter = error.parameters.retry_after;
      return retryAfter === undefined
        ? { kind: "retry", reason }
        : { kind: "retry", reason, retryAfterSeconds: retryAfter };
    }
    if (error.error_code >= 500) return { kind: "unknown", reason };
    return { kind: "permanent", reason };
  }
  if (error instanceof HttpError)
    return { kind: "unknown", reason: `no answer from the Bot API: ${error.message}` };
  return { kind: "unknown", reason: error instanceof Error ? error.message : String(error) };
}

/** Telegram's 409: another getUpdates poller (or a webhook) holds this token. */
export function isConflict(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 409;
}

/** Text safe to log: grammY's errors never carry the token, other errors might carry a file URL. */
export function describeApiError(error: unknown, token: string): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(token).join("<token>");
}

/** grammY types its signals with a polyfill's AbortSignal; Node's own is what it receives at run time. */
export type ApiSignal = Parameters<Api["getUpdates"]>[1];
export const apiSignal = (signal: AbortSignal): ApiSignal => signal as unknown as ApiSignal;
