// Test support: a monitor over a test stack with short intervals, its own throw-away
// folder (store, notification spool), and readers of the texts it wrote.
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestStack } from "@isikhnas/devstack/testing";
import { createLogger, createMetrics, createQueueAges, createSqsClient, type Env } from "@isikhnas/platform";
import { type AppDeps, createApp, type MonitorApp } from "../app.js";
import { loadConfig } from "../config.js";

export const ADMINS = ["6281200000001", "6281200000002"] as const;

export interface MonitorFolder {
  root: string;
  storePath: string;
  /** The monitor's own SMS spool (MONITOR_NOTIFY=spool). */
  outbox: string;
  remove(): Promise<void>;
}

export async function monitorFolder(): Promise<MonitorFolder> {
  const root = await mkdtemp(join(tmpdir(), "monitor-"));
  const outbox = join(root, "outbox");
  await mkdir(outbox);
  return {
    root,
    storePath: join(root, "monitor.sqlite"),
    outbox,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** A monitor texting through its own spool, a round every 50 ms, an incident after 3 failures. */
export function testMonitor(
  stack: TestStack,
  folder: MonitorFolder,
  overrides: Env = {},
  extra: Pick<AppDeps, "now"> = {},
): MonitorApp {
  const config = loadConfig({
    ...stack.env,
    MONITOR_INTERVAL_MS: "50",
    MONITOR_FAILURES_TO_OPEN: "3",
    MONITOR_PROBE_TIMEOUT_MS: "2000",
    MONITOR_STORE_PATH: folder.storePath,
    MONITOR_QUEUES: "none",
    MONITOR_NOTIFY: "spool",
    MONITOR_NOTIFY_SPOOL_DIR: folder.outbox,
    MONITOR_ADMIN_PHONES: ADMINS.join(","),
    HTTP_PORT: "0",
    ...overrides,
  });
  return createApp({
    config,
    logger: createLogger({ name: "monitor-test", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    sqs: config.MONITOR_QUEUES.length ? createSqsClient(config) : undefined,
    queueAges: config.MONITOR_QUEUES.length
      ? createQueueAges(config, config.MONITOR_QUEUE_AGE_SOURCE).ages
      : undefined,
    metrics: createMetrics({ defaultMetrics: false }),
    ...extra,
  });
}

export interface Text {
  to: string;
  text: string;
}

/** The texts in the monitor's spool, oldest first (file names carry the time they were written). */
export async function texts(outbox: string): Promise<Text[]> {
  const names = (await readdir(outbox)).filter((name) => !name.startsWith(".")).sort();
  return Promise.all(
    names.map(async (name) => {
      const content = await readFile(join(outbox, name), "utf8");
      const [header = "", text = ""] = content.split("\n\n");
      return { to: /^To: (.*)$/m.exec(header)?.[1] ?? "", text };
    }),
  );
}
