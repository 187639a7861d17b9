// SMS gateway throughput: a backlog of incoming smsd files from the demo users, the gateway
// started over it, and the rate from incoming file to reply file in outgoing/ (engine
// transaction, file removal, claim, atomic write with fsync included), against the same
// engine called directly on the same texts from the same senders, at the same concurrency,
// in a fresh database of the same run. The two take turns over `--rounds` rounds, so a
// change in the machine's load falls on both.
// Run: npm run bench:sms [-- --messages 10000 --concurrency 8 --rounds 2 --mix commands|help]
import { mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { waitFor } from "@isikhnas/devstack";
import { DEMO_USERS, type DemoUserType, handleInboundMessage } from "@isikhnas/domain";
import { createDatabase, createLogger, createMetrics } from "@isikhnas/platform";
import { createApp } from "../apps/sms-gateway/src/app.js";
import { loadConfig } from "../apps/sms-gateway/src/config.js";
import { ensureSpool, spoolLayout } from "../apps/sms-gateway/src/spool/layout.js";
import { against, recordFigures } from "./figures.js";
import { inParallel } from "./pool.js";
import { startSeededDatabase } from "./stack.js";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "8" },
    /** The gateway and the engine alone take turns, each over messages / rounds. */
    rounds: { type: "string", default: "2" },
    /** commands: case reports that write rows and alerts; help: `?` and KODE look-ups. */
    mix: { type: "string", default: "commands" },
  },
});
const messages = Number(args.messages);
const concurrency = Number(args.concurrency);
const rounds = Number(args.rounds);
const perRound = Math.ceil(messages / rounds);

const reporters: DemoUserType[] = ["village_reporter", "paravet", "inseminator", "champion"];
const signs = ["MC", "DM", "BT", "LM", "NM", "MC,DM", "BT,SN"];
const species = ["SP", "KB", "AY", "BB", "KR"];

function text(index: number): string {
  if (args.mix === "help") return index % 2 ? "?" : "KODE SP";
  // Distinct texts so the 10-minute duplicate rule does not turn them into repeats.
  return `U ${signs[index % signs.length]} ${species[index % species.length]} ${1 + (index % 997)} 72060202`;
}

function senderOf(index: number): string {
  return DEMO_USERS[reporters[index % reporters.length] ?? "village_reporter"].phone;
}

function incomingFile(index: number): string {
  const sender = senderOf(index);
  // Handsets send the national form; the gateway normalises it.
  return [
    `From: 0${sender.slice(2)}`,
    "From_SMSC: 6281100000",
    "Sent: 26-03-14 09:15:02",
    "Received: 26-03-14 09:15:07",
    "Subject: GSM1",
    "Alphabet: ISO",
    "UDH: false",
    "",
    text(index),
  ].join("\n");
}

async function countFiles(dir: string): Promise<number> {
  return (await readdir(dir)).filter((name) => !name.startsWith(".")).length;
}

/** Seconds the engine alone takes over one round's messages: the gateway's floor. */
async function engineDirectly(): Promise<number> {
  const { databaseUrl, stop } = await startSeededDatabase("isikhnas_bench_sms_engine");
  const db = createDatabase({
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: concurrency + 4,
    DB_STATEMENT_TIMEOUT_MS: 60_000,
  });
  try {
    return await inParallel(concurrency, perRound, async (index) => {
      await handleInboundMessage(db, {
        channel: "sms",
        sender: senderOf(index),
        text: text(index),
        receivedAt: new Date(),
        externalId: `engine:${index}`,
        environment: "live",
      });
    });
  } finally {
    await db.close();
    await stop();
  }
}

interface GatewayRun {
  seconds: number;
  incomingDrained: number;
  files: number;
}

/** One backlog through the gateway, in a database and spool of its own. */
async function throughGateway(): Promise<GatewayRun> {
  const work = await mkdtemp(join(tmpdir(), "isikhnas-bench-sms-"));
  const { databaseUrl, stop } = await startSeededDatabase("isikhnas_bench_sms");
  try {
    const spool = spoolLayout(join(work, "spool"));
    await ensureSpool(spool);
    for (let index = 0; index < perRound; index += 1) {
      const name = `GSM1.${String(index).padStart(6, "0")}`;
      await writeFile(join(spool.incoming, `.${name}`), incomingFile(index));
      await rename(join(spool.incoming, `.${name}`), join(spool.incoming, name));
    }

    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: String(concurrency + 4),
      SMS_SPOOL_DIR: spool.root,
      SMS_SETTLE_MS: "0",
      SMS_INCOMING_CONCURRENCY: String(concurrency),
      SMS_SEND_BATCH: "200",
      SMS_POLL_INTERVAL_MS: "100",
      SMS_RATE_LIMIT_COUNT: "0",
      HTTP_PORT: "0",
      LOG_LEVEL: "silent",
    });
    const logger = createLogger({ name: "bench-sms", level: "silent" });
    const metrics = createMetrics({ defaultMetrics: false });
    const app = createApp({ config, db: createDatabase(config, "bench-sms"), logger, metrics });
    const watcher = createDatabase({
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: 1,
      DB_STATEMENT_TIMEOUT_MS: 60_000,
    });
    const filesWritten = async () =>
      (await metrics.done.get()).values.find((value) => value.labels.queue === "sms-outgoing")?.value ?? 0;
    try {
      const started = performance.now();
      await app.start();
      // The watcher says when every file of the backlog is handled: no probe competes with
      // the gateway for the CPU or the database meanwhile.
      await app.incomingIdle();
      const incomingDrained = (performance.now() - started) / 1000;
      // Then the tail: every queued row claimed and its file written (counted by the sender
      // once the file is renamed into outgoing/).
      await waitFor(
        async () => {
          const { rows } = await watcher.query<{ queued: string; sending: string }>(
            `SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
                    count(*) FILTER (WHERE status = 'sending') AS sending
               FROM outbound_messages WHERE channel = 'sms'`,
          );
          const counts = rows[0];
          return (
            counts !== undefined &&
            Number(counts.queued) === 0 &&
            (await filesWritten()) >= Number(counts.sending)
          );
        },
        { timeoutMs: 30 * 60_000, intervalMs: 20, description: "a file for every queued sms" },
      );
      const seconds = (performance.now() - started) / 1000;
      await app.stop();
      // Checked after the clock stopped: a reply file for every message.
      const { rows: replyRows } = await watcher.query<{ external_ref: string }>(
        "SELECT external_ref FROM outbound_messages WHERE kind IN ('reply', 'notice') AND status = 'sending'",
      );
      const written = new Set(await readdir(spool.outgoing));
      const replies = replyRows.filter((row) => written.has(row.external_ref)).length;
      if (replies < perRound) throw new Error(`${replies} reply files for ${perRound} messages`);
      return { seconds, incomingDrained, files: await countFiles(spool.outgoing) };
    } finally {
      await app.stop();
      await watcher.close();
    }
  } finally {
    await stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function main() {
  console.log(
    `mix: ${args.mix}, incoming concurrency: ${concurrency}, ${rounds} rounds of ${perRound} messages`,
  );
  // The halves take turns, so a change in the machine's load falls on both.
  let gatewaySeconds = 0;
  let engineSeconds = 0;
  for (let round = 1; round <= rounds; round += 1) {
    const gateway = await throughGateway();
    const engine = await engineDirectly();
    gatewaySeconds += gateway.seconds;
    engineSeconds += engine;
    const rate = (seconds: number) => `${(perRound / seconds).toFixed(0)} msg/s`;
    console.log(
      `round ${round}: incoming/ drained ${gateway.incomingDrained.toFixed(1)} s (${rate(gateway.incomingDrained)}), ` +
        `reply files ${gateway.seconds.toFixed(1)} s (${rate(gateway.seconds)}; outgoing/ holds ${gateway.files} files, alerts included); ` +
        `engine alone ${engine.toFixed(1)} s (${rate(engine)}); load ${loadavg()[0]?.toFixed(1)}`,
    );
  }
  const gatewayRate = (rounds * perRound) / gatewaySeconds;
  const engineRate = (rounds * perRound) / engineSeconds;
  console.log(`incoming file → reply file: ${gatewayRate.toFixed(0)} messages/s`);
  console.log(
    `engine alone:               ${engineRate.toFixed(0)} messages/s (gateway at ${((100 * gatewayRate) / engineRate).toFixed(0)} %)`,
  );
  recordFigures([against(`sms.${args.mix}`, gatewayRate, "msg/s", "engine alone, same texts", engineRate)]);
}

await main();
