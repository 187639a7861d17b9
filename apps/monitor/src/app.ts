// The monitor as a value: a round of probes every interval, their verdicts and incidents
// kept in the store, one text per round to the administrators when there is news, and the
// HTTP port (/healthz, /readyz, /metrics and /status, which `isikhnas monitor status` reads).
import type { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  type ComposedDaemon,
  composeDaemon,
  type Logger,
  type Metrics,
  type QueueAges,
} from "@isikhnas/platform";
import { Counter, Gauge } from "prom-client";
import { canaryProbe } from "./canary.js";
import { databaseProbe, modemProbe, type Probe, queueProbe, readinessProbe, runProbe } from "./checks.js";
import type { MonitorConfig } from "./config.js";
import { composeText, type Notifier, snsNotifier, spoolNotifier, webhookNotifier } from "./notify.js";
import { type CheckState, type Incident, MonitorStore } from "./store.js";

export interface MonitorStatus {
  checks: CheckState[];
  incidents: Incident[];
}

export interface AppDeps {
  config: MonitorConfig;
  logger: Logger;
  /** Needed when MONITOR_QUEUES names queues. */
  sqs?: SQSClient | undefined;
  /** The age of each queue's oldest message; without it, an upper bound from the depths. */
  queueAges?: QueueAges | undefined;
  /** Needed when MONITOR_NOTIFY includes sns. */
  sns?: SNSClient | undefined;
  metrics?: Metrics | undefined;
  /** The clock of rounds and reminders. */
  now?: () => Date;
}

export interface MonitorApp extends ComposedDaemon {
  status(): MonitorStatus;
}

function buildProbes(config: MonitorConfig, deps: AppDeps, store: MonitorStore): Probe[] {
  const probes: Probe[] = config.MONITOR_READYZ_URLS.map((target) =>
    readinessProbe(target, config.MONITOR_PROBE_TIMEOUT_MS),
  );
  if (config.MONITOR_QUEUES.length) {
    if (!deps.sqs) throw new Error("queue checks need an SQS client");
    probes.push(
      queueProbe(
        { sqs: deps.sqs, prefix: config.RESOURCE_PREFIX, store, ages: deps.queueAges },
        {
          queues: config.MONITOR_QUEUES,
          maxAgeSeconds: config.MONITOR_QUEUE_MAX_AGE_SECONDS,
          maxDeadLetters: config.MONITOR_DLQ_MAX,
        },
      ),
    );
  }
  if (config.MONITOR_DATABASE_URL)
    probes.push(databaseProbe(config.MONITOR_DATABASE_URL, config.MONITOR_PROBE_TIMEOUT_MS));
  if (config.MONITOR_MODEM_STATUS_FILE)
    probes.push(
      modemProbe({ statusFile: config.MONITOR_MODEM_STATUS_FILE }, config.MONITOR_MODEM_MAX_AGE_SECONDS),
    );
  else if (config.MONITOR_MODEM_SENT_DIR)
    probes.push(modemProbe({ sentDir: config.MONITOR_MODEM_SENT_DIR }, config.MONITOR_MODEM_MAX_AGE_SECONDS));
  if (config.MONITOR_CANARY_SPOOL_DIR && config.MONITOR_CANARY_PHONE)
    probes.push(
      canaryProbe({
        spoolDir: config.MONITOR_CANARY_SPOOL_DIR,
        phone: config.MONITOR_CANARY_PHONE,
        text: config.MONITOR_CANARY_TEXT,
        everySeconds: config.MONITOR_CANARY_EVERY_SECONDS,
        deadlineSeconds: config.MONITOR_CANARY_DEADLINE_SECONDS,
      }),
    );
  return probes;
}

function buildNotifiers(config: MonitorConfig, deps: AppDeps): Notifier[] {
  return config.MONITOR_NOTIFY.map((path) => {
    switch (path) {
      case "sns":
        if (!deps.sns) throw new Error("MONITOR_NOTIFY=sns needs an SNS client");
        return snsNotifier(deps.sns);
      case "spool":
        return spoolNotifier(config.MONITOR_NOTIFY_SPOOL_DIR ?? "");
      case "webhook":
        return webhookNotifier(config.MONITOR_NOTIFY_WEBHOOK_URL ?? "", config.MONITOR_PROBE_TIMEOUT_MS);
    }
    throw new Error(`unknown notification path ${String(path)}`);
  });
}

export function createApp(deps: AppDeps): MonitorApp {
  const { config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const store = new MonitorStore(config.MONITOR_STORE_PATH);
  const probes = buildProbes(config, deps, store);
  const notifiers = buildNotifiers(config, deps);
  const checkNames = probes.flatMap((probe) => probe.names);
  const registers = deps.metrics ? [deps.metrics.registry] : [];
  const checkOk = new Gauge({
    name: "monitor_check_ok",
    help: "1 when the check passed in the last round",
    labelNames: ["check"],
    registers,
  });
  const openIncidents = new Gauge({
    name: "monitor_open_incidents",
    help: "Incidents open",
    registers,
  });
  const notifications = new Counter({
    name: "monitor_notifications_total",
    help: "Texts to the administrators by path and outcome",
    labelNames: ["path", "outcome"],
    registers,
  });

  async function notify(): Promise<void> {
    const at = now();
    const notice = store.pendingNotice(at, config.MONITOR_REMINDER_HOURS * 3_600_000);
    if (!notice.opened.length && !notice.reminders.length && !notice.recovered.length) return;
    const text = composeText(config.MONITOR_TAG, notice, at);
    const outcomes = await Promise.allSettled(
      notifiers.map((notifier) => notifier.send(text, config.MONITOR_ADMIN_PHONES)),
    );
    outcomes.forEach((outcome, index) => {
      const path = notifiers[index]?.name ?? "?";
      notifications.inc({ path, outcome: outcome.status === "fulfilled" ? "sent" : "failed" });
      if (outcome.status === "rejected")
        logger.error({ err: outcome.reason, path }, "could not text the administrators");
    });
    // One path that took the text is enough; otherwise the next round says it all again.
    if (outcomes.some((outcome) => outcome.status === "fulfilled")) {
      store.markNotified(notice, now());
      logger.warn(
        {
          opened: notice.opened.map((incident) => incident.id),
          reminders: notice.reminders.map((incident) => incident.id),
          recovered: notice.recovered.map((incident) => incident.id),
        },
        "administrators texted",
      );
    }
  }

  async function round(): Promise<void> {
    const at = now();
    const results = (
      await Promise.all(probes.map((probe) => runProbe(probe, at, config.MONITOR_PROBE_TIMEOUT_MS)))
    ).flat();
    store.recordRound(results, at, config.MONITOR_FAILURES_TO_OPEN);
    for (const result of results) {
      checkOk.set({ check: result.name }, result.ok ? 1 : 0);
      if (!result.ok) logger.info({ check: result.name, detail: result.detail }, "check failed");
    }
    await notify();
    openIncidents.set(store.incidents(0).length);
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const loop = () => {
    running = round()
      .catch((error: unknown) => logger.error({ err: error }, "monitor round failed"))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, config.MONITOR_INTERVAL_MS);
      });
  };

  const status = (): MonitorStatus => ({ checks: store.checks(checkNames), incidents: store.incidents(50) });
  const daemon = composeDaemon({
    parts: [
      {
        async start() {
          logger.info({ checks: checkNames, notify: config.MONITOR_NOTIFY }, "monitor starting");
          const retired = store.retireUnlisted(checkNames, now());
          if (retired.length)
            logger.warn({ incidents: retired }, "closed incidents of checks no longer configured");
          loop();
        },
        async stop() {
          stopped = true;
          clearTimeout(timer);
          await running;
        },
      },
    ],
    health: deps.metrics && {
      port: config.HTTP_PORT,
      host: config.HTTP_HOST,
      registry: deps.metrics.registry,
      // Ready when its own store answers: nothing it watches may make the monitor unready.
      checks: { store: async () => store.ping() },
      routes: { "/status": async () => status() },
    },
    close: [
      async () => {
        deps.sns?.destroy();
        deps.sqs?.destroy();
        store.close();
      },
    ],
  });
  return Object.assign(daemon, { status });
}
