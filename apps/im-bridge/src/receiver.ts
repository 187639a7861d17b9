// Receiving: long polling (getUpdates) by default, where each batch is committed to
// PostgreSQL before the next call's offset confirms it to Telegram; or a webhook that
// answers Telegram only after the commit, refusing callers without the secret token.
// Stored updates are then handled in order, and anything left over from a crash first.
import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { backoff, type Database, type Logger } from "@isikhnas/platform";
import type { Api } from "grammy";
import { apiSignal, describeApiError, isConflict } from "./bot-api.js";
import type { UpdateHandler } from "./handler.js";
import { claimHandled, isUpdate, storeUpdates, type TelegramUpdate, unhandledUpdates } from "./updates.js";

/** A programming-level failure on odd input (not an outage): retrying cannot help. */
function isMalformed(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError;
}

export interface ReceiverDeps {
  db: Database;
  api: Api;
  handler: UpdateHandler;
  logger: Logger;
  botId: string;
  token: string;
  /** Called after handled updates queued replies. */
  onHandled: () => void;
}

/** Handles stored updates one at a time in update_id order; `drain()` runs until none is left. */
export class UpdateQueue {
  private running: Promise<void> | undefined;
  private again = false;
  private failures = 0;

  constructor(private readonly deps: ReceiverDeps) {}

  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    // Never rejects: callers fire it and forget (the webhook, the timer); a database that is
    // down leaves the updates 'received' for the next drain.
    this.running = this.drainLoop()
      .catch((error: unknown) => {
        this.deps.logger.error(
          { err: describeApiError(error, this.deps.token) },
          "handling stored updates failed",
        );
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const batch = await unhandledUpdates(this.deps.db, this.deps.botId, 100);
        if (batch.length === 0) break;
        for (const update of batch) {
          try {
            await this.deps.handler.handle(update);
            this.failures = 0;
          } catch (error) {
            if (isMalformed(error)) {
              // The update's shape broke the handler: trying again would fail the same way
              // and hold up every later update, so it is set aside with the reason.
              const reason = `could not be handled: ${describeApiError(error, this.deps.token)}`.slice(
                0,
                1000,
              );
              this.deps.logger.error(
                { updateId: update.updateId, kind: update.kind, reason },
                "update set aside",
              );
              await claimHandled(this.deps.db, update.id, "ignored", reason);
              continue;
            }
            // Left 'received': handled again on the next drain (the database may be down).
            this.failures += 1;
            this.deps.logger.error(
              { updateId: update.updateId, kind: update.kind, err: describeApiError(error, this.deps.token) },
              "handling an update failed; it will be tried again",
            );
            this.deps.onHandled();
            await new Promise((resolve) =>
              setTimeout(resolve, backoff({ attempt: this.failures, baseMs: 500, maxMs: 30_000 })),
            );
            return;
          }
        }
        this.deps.onHandled();
      }
    } while (this.again);
  }
}

export interface PollerOptions {
  timeoutSeconds: number;
  limit: number;
  conflictBackoffMs: number;
}

/** Whether this host is the one polling (false while another poller holds the token). */
export type PollerState = "starting" | "polling" | "standing-by" | "stopped";

export class Poller {
  state: PollerState = "starting";
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: ReceiverDeps & { queue: UpdateQueue },
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.state = "stopped";
  }

  private async run(): Promise<void> {
    const { api, db, logger, botId, queue, token } = this.deps;
    let offset: number | undefined;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const updates = (await api.getUpdates(
          { offset, timeout: this.options.timeoutSeconds, limit: this.options.limit },
          apiSignal(this.abort.signal),
        )) as unknown[];
        if (this.state === "standing-by") logger.info("no other poller holds the bot token now; polling");
        this.state = "polling";
        failures = 0;
        const valid = updates.filter(isUpdate);
        const skipped = updates.length - valid.length;
        if (skipped > 0)
          logger.warn({ skipped }, "getUpdates returned entries without an update_id; skipped");
        if (valid.length === 0) continue;
        // Committed first: only the next getUpdates, with the offset past these, confirms them.
        await storeUpdates(db, botId, valid as TelegramUpdate[]);
        offset = Math.max(...valid.map((update) => update.update_id)) + 1;
        await queue.drain();
      } catch (error) {
        if (this.abort.signal.aborted) break;
        if (isConflict(error)) {
          if (this.state !== "standing-by") {
            logger.warn(
              { retryInMs: this.options.conflictBackoffMs },
              "another instance is polling this bot token (Telegram answered 409); this one stands by and tries again later",
            );
          }
          this.state = "standing-by";
          await this.pause(this.options.conflictBackoffMs);
          continue;
        }
        failures += 1;
        logger.error({ err: describeApiError(error, token), failures }, "getUpdates failed; retrying");
        await this.pause(backoff({ attempt: failures, baseMs: 1000, maxMs: 60_000, jitter: 0.2 }));
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}

export interface WebhookServer {
  port: number;
  close(): Promise<void>;
}

const MAX_WEBHOOK_BODY = 1024 * 1024;

/** Telegram posts each update; the answer (200) is given only once the update is committed. */
export async function startWebhookServer(
  deps: ReceiverDeps & { queue: UpdateQueue },
  options: { host: string; port: number; secret: string },
): Promise<WebhookServer> {
  const expected = Buffer.from(options.secret);
  const server: Server = createServer((request, response) => {
    const given = Buffer.from(String(request.headers["x-telegram-bot-api-secret-token"] ?? ""));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      deps.logger.warn(
        { remote: request.socket.remoteAddress },
        "webhook call without the right secret token refused",
      );
      response.writeHead(401).end();
      request.resume();
      return;
    }
    if (request.method !== "POST") {
      response.writeHead(405).end();
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_WEBHOOK_BODY) chunks.push(chunk);
    });
    request.on("end", () => {
      void (async () => {
        let body: unknown;
        try {
          body = size > MAX_WEBHOOK_BODY ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          body = undefined;
        }
        if (!isUpdate(body)) {
          // Telegram would re-send a refused update for ever; an unreadable one is dropped with a reason.
          deps.logger.warn({ bytes: size }, "webhook body is not an update; dropped");
          response.writeHead(200).end();
          return;
        }
        try {
          await storeUpdates(deps.db, deps.botId, [body]);
        } catch (error) {
          deps.logger.error({ err: error, updateId: body.update_id }, "storing a webhook update failed");
          response.writeHead(500).end();
          return;
        }
        response.writeHead(200).end();
        void deps.queue.drain();
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
