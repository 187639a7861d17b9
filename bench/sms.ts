// SMS gateway throughput: a backlog of incoming smsd files from the demo users, the gateway
// started over it, and the rate from incoming file to reply file in outgoing/ (engine
// transaction, file removal, claim, atomic write with fsync included), against the same
// engine called directly on the same texts from the same senders, at the same concurrency,
// in a fresh database of the same run.
// Run: npm run bench:sms [-- --messages 10000 --concurrency 8 --mix commands|help]
import { mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { waitFor } from "@isikhnas/devstack";
import { DEMO_USERS, type DemoUserType, handleInboundMessage } from "@isikhnas/domain";
import { createDatabase, createLogger } from "@isikhnas/platform";
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
    /** commands: case reports that write rows and alerts; help: `?` and KODE look-ups. */
    mix: { type: "string", default: "commands" },
  },
});
const messages = Number(args.messages);
const concurrency = Number(args.concurrency);

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

/** Messages per second of the engine alone: the gateway's floor. */
async function engineDirectly(): Promise<number> {
  const { databaseUrl, stop } = await startSeededDatabase("isikhnas_bench_sms_engine");
  const db = createDatabase({
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: concurrency + 4,
    DB_STATEMENT_TIMEOUT_MS: 60_000,
  });
  try {
    const seconds = await inParallel(concurrency, messages, async (index) => {
      await handleInboundMessage(db, {
        channel: "sms",
        sender: senderOf(index),
        text: text(index),
        receivedAt: new Date(),
        externalId: `engine:${index}`,
        environment: "live",
      });
    });
    return messages / seconds;
  } finally {
    await db.close();
    await stop();
  }
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), "isikhnas-bench-sms-"));
  const { databaseUrl, stop } = await startSeededDatabase("isikhnas_bench_sms");
  try {
    const spool = spoolLayout(join(work, "spool"));
    await ensureSpool(spool);
    const writing = performance.now();
    for (let index = 0; index < messages; index += 1) {
      const name = `GSM1.${String(index).padStart(6, "0")}`;
      await writeFile(join(spool.incoming, `.${name}`), incomingFile(index));
      await rename(join(spool.incoming, `.${name}`), join(spool.incoming, name));
    }
    console.log(
      `backlog: ${messages} incoming files written in ${((performance.now() - writing) / 1000).toFixed(1)} s`,
    );

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
    const app = createApp({ config, db: createDatabase(config, "bench-sms"), logger });

    const started = performance.now();
    await app.start();
    let incomingDrained: number | undefined;
    const watcher = createDatabase({
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: 1,
      DB_STATEMENT_TIMEOUT_MS: 60_000,
    });
    const replies = await waitFor(
      async () => {
        if (incomingDrained === undefined && (await countFiles(spool.incoming)) === 0) {
          incomingDrained = (performance.now() - started) / 1000;
        }
        if (incomingDrained === undefined) return undefined;
        // A reply row leaves 'queued' when it is claimed; its file is written right after.
        const { rows } = await watcher.query<{ external_ref: string }>(
          "SELECT external_ref FROM outbound_messages WHERE kind IN ('reply', 'notice') AND status = 'sending'",
        );
        if (rows.length < messages) return undefined;
        const written = new Set(await readdir(spool.outgoing));
        const done = rows.map((row) => row.external_ref).filter((name) => written.has(name));
        return done.length >= messages ? done : undefined;
      },
      { timeoutMs: 30 * 60_000, intervalMs: 50, description: "a reply file for every incoming message" },
    );
    const seconds = (performance.now() - started) / 1000;
    const files = await countFiles(spool.outgoing);
    await app.stop();
    await watcher.close();

    const rate = (count: number, time: number) => `${(count / time).toFixed(0)} msg/s`;
    console.log(`mix: ${args.mix}, incoming concurrency: ${concurrency}`);
    console.log(
      `incoming/ drained:  ${incomingDrained?.toFixed(1)} s  (${rate(messages, incomingDrained ?? seconds)})`,
    );
    console.log(
      `reply files:        ${replies.length} in ${seconds.toFixed(1)} s (outgoing/ holds ${files} files, alerts included)`,
    );
    console.log(`incoming file → reply file: ${(messages / seconds).toFixed(0)} messages/s`);
    const engineRate = await engineDirectly();
    console.log(
      `engine alone:               ${engineRate.toFixed(0)} messages/s (gateway at ${((100 * messages) / seconds / engineRate).toFixed(0)} %)`,
    );
    recordFigures([
      against(`sms.${args.mix}`, messages / seconds, "msg/s", "engine alone, same texts", engineRate),
    ]);
  } finally {
    await stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
