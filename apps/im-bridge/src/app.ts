// The IM bridge as a value: receives Telegram updates (long polling or webhook), stores
// each once, handles them through the command engine, sends the queued IM rows, and
// serves /healthz, /readyz and /metrics.
import {
  type Bucket,
  createMetrics,
  type Daemon,
  type Database,
  type HealthServer,
  type Logger,
  type Metrics,
  startHealthServer,
} from "@isikhnas/platform";
import type { Api } from "grammy";
import { Gauge } from "prom-client";
import { createBotApi, describeApiError } from "./bot-api.js";
import { botId, botToken, type Config } from "./config.js";
import { UpdateHandler } from "./handler.js";
import { Poller, type PollerState, startWebhookServer, UpdateQueue, type WebhookServer } from "./receiver.js";
import { ImSender } from "./sender.js";

export interface AppDeps {
  config: Config;
  /** Owned by the app from here on: stop() closes it. */
  db: Database;
  images: Bucket;
  logger: Logger;
  metrics?: Metrics;
  /** The Bot API client; defaults to grammY's against TELEGRAM_API_ROOT. */
  api?: Api;
}

export interface ImBridge extends Daemon {
  readonly sender: ImSender;
  readonly healthPort: number | undefined;
  readonly webhookPort: number | undefined;
  /** polling, standing-by (another host polls), or starting / stopped; webhook mode: undefined. */
  readonly pollerState: PollerState | undefined;
  /** Resolves once every stored update has been handled. */
  drain(): Promise<void>;
}

export function createApp(deps: AppDeps): ImBridge {
  const { config, db, logger } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const token = botToken(config);
  const bot = botId(token);
  const api =
    deps.api ??
    createBotApi({
      token,
      apiRoot: config.TELEGRAM_API_ROOT,
      timeoutSeconds: config.IM_POLL_TIMEOUT_SECONDS + 30,
    });
  const systemTag = config.ISIKHNAS_ENV === "training" ? config.TRAINING_SYSTEM_TAG : config.SYSTEM_TAG;
  const sender = new ImSender(
    { db, api, logger },
    {
      batchSize: config.IM_SEND_BATCH,
      pollIntervalMs: config.IM_SEND_POLL_INTERVAL_MS,
      globalRatePerSecond: config.IM_GLOBAL_RATE_PER_SECOND,
      chatIntervalMs: config.IM_CHAT_INTERVAL_MS,
      maxAttempts: config.IM_MAX_ATTEMPTS,
      retryBackoffMs: config.IM_RETRY_BACKOFF_MS,
      leaseSeconds: config.IM_SEND_LEASE_SECONDS,
      stopDeadlineMs: config.IM_STOP_DEADLINE_MS,
    },
  );
  const handler = new UpdateHandler({
    db,
    api,
    images: deps.images,
    logger,
    botId: bot,
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    environment: config.ISIKHNAS_ENV,
    systemTag,
    maxFileBytes: config.IM_MAX_FILE_BYTES,
    linkNoticeHours: config.IM_LINK_NOTICE_HOURS,
  });
  const receiverDeps = { db, api, handler, logger, botId: bot, token, onHandled: () => sender.wake() };
  const queue = new UpdateQueue(receiverDeps);
  const poller =
    config.IM_MODE === "polling"
      ? new Poller(
          { ...receiverDeps, queue },
          {
            timeoutSeconds: config.IM_POLL_TIMEOUT_SECONDS,
            limit: config.IM_POLL_LIMIT,
            conflictBackoffMs: config.IM_CONFLICT_BACKOFF_MS,
          },
        )
      : undefined;
  // Read off the sender and the poller when /metrics is scraped.
  new Gauge({
    name: "im_messages_since_start",
    help: "IM rows this process sent, put back for a retry, failed or put in doubt since it started",
    labelNames: ["outcome"],
    registers: [metrics.registry],
    collect() {
      this.set({ outcome: "sent" }, sender.stats.sent);
      this.set({ outcome: "retried" }, sender.stats.retried);
      this.set({ outcome: "failed" }, sender.stats.failed);
      this.set({ outcome: "in_doubt" }, sender.stats.inDoubt);
    },
  });
  new Gauge({
    name: "im_polling",
    help: "1 while this host polls the bot's updates; 0 while another host does (standing by) or in webhook mode",
    registers: [metrics.registry],
    collect() {
      this.set(poller?.state === "polling" ? 1 : 0);
    },
  });
  let webhook: WebhookServer | undefined;
  let health: HealthServer | undefined;
  let accepting = false;
  let stopped: Promise<void> | undefined;
  const timers: NodeJS.Timeout[] = [];

  return {
    sender,
    get healthPort() {
      return health?.port;
    },
    get webhookPort() {
      return webhook?.port;
    },
    get pollerState() {
      return poller?.state;
    },
    drain: () => queue.drain(),

    async start() {
      health = await startHealthServer({
        port: config.HTTP_PORT,
        host: config.HTTP_HOST,
        registry: metrics.registry,
        // A host standing by (another one polls) is still ready: it takes over when that one stops.
        checks: { database: () => db.ping() },
        isAccepting: () => accepting,
      });
      const me = await api.getMe().catch((error: unknown) => {
        throw new Error(`the Bot API refused the token: ${describeApiError(error, token)}`);
      });
      // Whatever an earlier crash left stored but unhandled is handled before anything new.
      await queue.drain();
      if (poller) {
        // A webhook left registered would make every getUpdates fail with 409.
        await api.deleteWebhook({ drop_pending_updates: false });
        poller.start();
      } else {
        const secret = config.IM_WEBHOOK_SECRET ?? "";
        webhook = await startWebhookServer(
          { ...receiverDeps, queue },
          { host: config.IM_WEBHOOK_HOST, port: config.IM_WEBHOOK_PORT, secret },
        );
        if (config.IM_WEBHOOK_REGISTER && config.IM_WEBHOOK_URL) {
          await api.setWebhook(config.IM_WEBHOOK_URL, { secret_token: secret });
        }
      }
      sender.start();
      // Updates whose handling failed (database down) are tried again without waiting for new ones.
      timers.push(setInterval(() => void queue.drain(), 5000));
      for (const timer of timers) timer.unref();
      accepting = true;
      logger.info(
        { bot: me.username ?? me.id, mode: config.IM_MODE, environment: config.ISIKHNAS_ENV },
        "im bridge running",
      );
    },

    stop() {
      stopped ??= (async () => {
        accepting = false;
        for (const timer of timers) clearInterval(timer);
        await poller?.stop();
        await webhook?.close();
        await queue.drain().catch(() => undefined);
        await sender.stop();
        await health?.close();
        await db.close();
      })();
      return stopped;
    },
  };
}
