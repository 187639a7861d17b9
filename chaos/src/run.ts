// One chaos run: the stack, every daemon under the supervisor, the planned load fed on
// schedule (SMS files, e-mails, IM updates) while daemons are SIGKILLed, PostgreSQL restarted and the emulator stalled,
// then a bounded wait for the stack to settle and the verdict.
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Database, createDatabase as openDatabase, queueStats } from "@isikhnas/platform";
import { botId } from "../../apps/im-bridge/src/config.js";
import { deliverSms, MailInbound, startSmsd } from "./feed.js";
import { buildPlan, type Disruption, type Plan } from "./load.js";
import { BOT_TOKEN, type ChaosStack, INGEST_ADDRESS, startChaosStack, VISIBILITY_SECONDS } from "./stack.js";
import { type DaemonRecord, type DaemonSpec, startSupervisor } from "./supervisor.js";
import { judge, type Verdict } from "./verdict.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export const DAEMONS = [
  "sms-gateway",
  "email-ingest",
  "excel-processor",
  "email-sender",
  "report-generator",
  "im-bridge",
] as const;

export interface ChaosOptions {
  items: number;
  seed: number;
  /** Items fed per second. */
  rate?: number;
  killEveryMs?: number;
  /** Kills go on this long after the last item is fed. */
  killTailMs?: number;
  /** The whole run's bound: past it the check runs on what there is, and fails. */
  maxMs?: number;
  /** A daemon up less than this is not killed yet (default 5 s). */
  minUptimeMs?: number;
  /** Keep the work folder (daemon logs, spool, database) for a look afterwards. */
  keepWorkDir?: boolean;
  log?: (line: string) => void;
}

export interface ChaosResult {
  plan: Plan;
  verdict: Verdict;
  daemons: DaemonRecord[];
  disruptions: { kills: number; postgresRestarts: number; emulatorStalls: number };
  seconds: number;
  workDir: string;
}

function daemonSpecs(stack: ChaosStack): DaemonSpec[] {
  const at = (name: string) => `apps/${name}/src/main.ts`;
  return [
    {
      name: "sms-gateway",
      entry: at("sms-gateway"),
      env: {
        ISIKHNAS_ENV: "live",
        SMS_SPOOL_DIR: stack.spoolDir,
        SMS_SETTLE_MS: "0",
        SMS_RESCAN_INTERVAL_MS: "2000",
        SMS_POLL_INTERVAL_MS: "200",
        SMS_RATE_LIMIT_COUNT: "0",
        SMS_RETRY_BACKOFF_MS: "1000",
        SMS_CONCAT_WAIT_MS: "20000",
      },
    },
    { name: "email-ingest", entry: at("email-ingest"), env: { MAILINBOUND_VISIBILITY_SECONDS: "15" } },
    {
      name: "excel-processor",
      entry: at("excel-processor"),
      env: { EMAILINPUT_VISIBILITY_SECONDS: String(VISIBILITY_SECONDS) },
    },
    {
      name: "email-sender",
      entry: at("email-sender"),
      env: { EMAILOUTPUT_VISIBILITY_SECONDS: "10", SEND_LEASE_SECONDS: "15", SEND_RATE_PER_SECOND: "50" },
    },
    {
      name: "report-generator",
      entry: at("report-generator"),
      env: {
        REPORT_TICK_SECONDS: "5",
        REPORT_REPLICA_RETRY_SECONDS: "1",
        REPORTREQUEST_VISIBILITY_SECONDS: "30",
        // A killed generator's lease holds its run this long (10 minutes by default).
        REPORT_LEASE_SECONDS: "15",
      },
    },
    {
      name: "im-bridge",
      entry: at("im-bridge"),
      env: {
        ISIKHNAS_ENV: "live",
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_API_ROOT: stack.bot.url,
        IM_POLL_TIMEOUT_SECONDS: "5",
        IM_CONFLICT_BACKOFF_MS: "500",
        IM_SEND_POLL_INTERVAL_MS: "200",
        // Each chat gets a reply per item; Telegram's one a second per chat would only slow the drain.
        IM_CHAT_INTERVAL_MS: "0",
        // A killed bridge's row left 'sending' goes in doubt after this (2 minutes by default).
        IM_SEND_LEASE_SECONDS: "15",
      },
    },
  ];
}

const DEFAULT_KILL_TAIL_MS = 20_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Nothing left to do: spool folders empty, queues drained, no send or upload half done. */
async function quiescent(stack: ChaosStack, db: Database): Promise<string | undefined> {
  const incoming = (await readdir(join(stack.spoolDir, "incoming"))).filter((name) => !name.startsWith("."));
  if (incoming.length > 0) return `${incoming.length} files in incoming/`;
  const parts = await readdir(join(stack.spoolDir, "parts")).catch(() => []);
  if (parts.length > 0) return `${parts.length} part groups waiting`;
  const outgoing = (await readdir(join(stack.spoolDir, "outgoing"))).filter((name) => !name.startsWith("."));
  if (outgoing.length > 0) return `${outgoing.length} files in outgoing/`;
  if (stack.bot.pending.length > 0) return `${stack.bot.pending.length} IM updates not confirmed`;
  const busy = (await queueStats(stack.sqs, stack.prefix)).filter(
    (queue) => queue.depth + queue.inFlight + queue.delayed > 0,
  );
  if (busy.length > 0) return `queues busy: ${busy.map((queue) => queue.queue).join(", ")}`;
  const { rows } = await db.query<{ what: string; n: number }>(
    `SELECT 'sms queued' AS what, count(*)::int AS n FROM outbound_messages WHERE channel = 'sms' AND status = 'queued'
     UNION ALL SELECT 'im queued or sending', count(*)::int FROM outbound_messages WHERE channel = 'im' AND status IN ('queued', 'sending')
     UNION ALL SELECT 'im updates unhandled', count(*)::int FROM im_updates WHERE status = 'received'
     UNION ALL SELECT 'mail pending', count(*)::int FROM outbound_emails WHERE status IN ('pending', 'sending')
     UNION ALL SELECT 'uploads open', count(*)::int FROM uploads WHERE status IN ('received', 'processing')`,
  );
  const open = rows.filter((row) => row.n > 0);
  return open.length > 0 ? open.map((row) => `${row.n} ${row.what}`).join(", ") : undefined;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const log = (line: string) => options.log?.(`+${((Date.now() - started) / 1000).toFixed(0)} s ${line}`);
  const rate = options.rate ?? 40;
  const plan = buildPlan({
    seed: options.seed,
    items: options.items,
    rate,
    daemons: DAEMONS,
    killEveryMs: options.killEveryMs ?? 2_000,
    killTailMs: options.killTailMs ?? DEFAULT_KILL_TAIL_MS,
  });
  const maxMs = options.maxMs ?? plan.feedMs + 300_000;
  const deadline = started + maxMs;
  log(`seed ${plan.seed}: ${plan.items.length} items planned over ${(plan.feedMs / 1000).toFixed(0)} s`);

  const stack = await startChaosStack(plan);
  log("stack ready, daemons starting");
  const logDir = join(stack.workDir, "logs");
  await mkdir(logDir, { recursive: true });
  const supervisor = startSupervisor({
    repoRoot,
    logDir,
    ...(options.minUptimeMs === undefined ? {} : { minUptimeMs: options.minUptimeMs }),
    daemons: daemonSpecs(stack),
    baseEnv: {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SQS: stack.proxy.endpoint,
      AWS_ENDPOINT_URL_S3: stack.proxy.endpoint,
      AWS_ENDPOINT_URL_SES: stack.sesEndpoint,
      RESOURCE_PREFIX: stack.prefix,
      DATABASE_URL: stack.databaseUrl,
      HTTP_PORT: "0",
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? "warn",
      // V8's code cache across restarts: a restart costs a fraction of the first start.
      NODE_COMPILE_CACHE: join(stack.workDir, "compile-cache"),
      MAIL_FROM: `iSIKHNAS <${INGEST_ADDRESS}>`,
      INGEST_ADDRESS_LIVE: INGEST_ADDRESS,
    },
  });
  const smsd = startSmsd(stack.spoolDir);
  const mailInbound = new MailInbound(stack);
  const counts = { kills: 0, postgresRestarts: 0, emulatorStalls: 0 };
  /** Item index → the update_id Telegram gave its update. */
  const imUpdates = new Map<number, number>();
  let db: Database | undefined;
  let verdict: Verdict | undefined;
  try {
    const runStart = Date.now();
    let killsEndAt = Number.POSITIVE_INFINITY;
    const kills = (async () => {
      for (const disruption of plan.disruptions) {
        if (disruption.kind !== "kill") continue;
        await delay(disruption.afterMs);
        if (Date.now() > Math.min(killsEndAt, deadline)) break;
        if (supervisor.kill(disruption.daemon)) counts.kills += 1;
      }
    })();
    const events: Promise<void>[] = [];
    const disrupt = async (disruption: Exclude<Disruption, { kind: "kill" }>) => {
      if (disruption.kind === "restart-postgres") {
        log("restarting PostgreSQL");
        await stack.restartPostgres();
        counts.postgresRestarts += 1;
      } else {
        log(`stalling the SQS/S3 emulator for ${(disruption.forMs / 1000).toFixed(1)} s`);
        stack.proxy.stall();
        counts.emulatorStalls += 1;
        await delay(disruption.forMs);
        stack.proxy.resume();
      }
    };

    for (const [index, item] of plan.items.entries()) {
      await delay(runStart + (plan.feedAtMs[index] ?? 0) - Date.now());
      for (const disruption of plan.disruptions) {
        if (disruption.kind !== "kill" && disruption.atItem === index) events.push(disrupt(disruption));
      }
      if (item.channel === "sms") await deliverSms(stack.spoolDir, item);
      else if (item.channel === "mail") await mailInbound.deliver(item);
      else
        imUpdates.set(
          index,
          stack.bot.pushText({ id: item.chatId, first_name: `Chat ${item.chatId}` }, item.text).update_id,
        );
      if (index % 500 === 499) log(`fed ${index + 1} items`);
    }
    log(`all ${plan.items.length} items fed`);
    killsEndAt = Date.now() + (options.killTailMs ?? DEFAULT_KILL_TAIL_MS);
    await Promise.all([kills, ...events]);
    log(`disruptions over (${counts.kills} kills); waiting for the stack to settle`);

    db = openDatabase({ DATABASE_URL: stack.databaseUrl, DB_POOL_MAX: 2, DB_STATEMENT_TIMEOUT_MS: 60_000 });
    // Settled: quiet on three probes in a row, a second apart.
    let quietProbes = 0;
    let lastReason = "";
    while (quietProbes < 3 && Date.now() < deadline) {
      const reason = await quiescent(stack, db).catch((error: unknown) => `probe failed: ${String(error)}`);
      quietProbes = reason ? 0 : quietProbes + 1;
      if (reason && reason !== lastReason) log(`not settled: ${reason}`);
      lastReason = reason ?? "";
      await delay(1_000);
    }
    const settled = quietProbes >= 3;
    await supervisor.stop();
    await smsd.stop();
    verdict = await judge({
      items: plan.items,
      db,
      sqs: stack.sqs,
      prefix: stack.prefix,
      spoolDir: stack.spoolDir,
      sesEndpoint: stack.sesEndpoint,
      im: { botId: botId(BOT_TOKEN), updates: imUpdates, sent: stack.bot.sent },
      settled,
    });
  } finally {
    await supervisor.stop();
    await smsd.stop();
    await db?.close();
    const keep = options.keepWorkDir || (verdict?.broken.length ?? 1) > 0;
    await stack.close({ keepWorkDir: keep });
    if (keep)
      log(`kept: daemon logs and spool in ${stack.workDir}, the database cluster in ${stack.postgresDir}`);
  }
  if (!verdict) throw new Error("the chaos run ended without a verdict");
  return {
    plan,
    verdict,
    daemons: supervisor.records,
    disruptions: counts,
    seconds: (Date.now() - started) / 1000,
    workDir: stack.workDir,
  };
}
