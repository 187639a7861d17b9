// IM bridge throughput: 10,000 Telegram updates from linked demo users waiting in the fake
// Bot API, the bridge started over them, and the rate from getUpdates to the reply's
// sendMessage (store, engine transaction, claim, send, mark sent), against the same engine
// called directly on the same messages in a fresh database.
// Run: npm run bench:im [-- --updates 10000]
import { parseArgs } from "node:util";
import { FakeBotApi, waitFor } from "@isikhnas/devstack";
import { DEMO_USERS, type DemoUserType, handleInboundMessage } from "@isikhnas/domain";
import { createBuckets, createDatabase, createLogger, createS3Client } from "@isikhnas/platform";
import { createApp } from "../apps/im-bridge/src/app.js";
import { loadConfig } from "../apps/im-bridge/src/config.js";
import { against, recordFigures } from "./figures.js";
import { startSeededDatabase } from "./stack.js";

const { values: args } = parseArgs({ options: { updates: { type: "string", default: "10000" } } });
const updates = Number(args.updates);
const TOKEN = "7999999:bench-token";

const reporters: DemoUserType[] = ["village_reporter", "paravet", "inseminator", "champion"];
const signs = ["MC", "DM", "BT", "LM", "NM", "MC,DM", "BT,SN"];
const species = ["SP", "KB", "AY", "BB", "KR"];

function text(index: number): string {
  // Distinct texts so the 10-minute duplicate rule does not turn them into repeats.
  return `U ${signs[index % signs.length]} ${species[index % species.length]} ${1 + (index % 997)} 72060202`;
}

function reporterOf(index: number) {
  const user = DEMO_USERS[reporters[index % reporters.length] ?? "village_reporter"];
  return { id: Number(user.imId), first_name: user.name };
}

async function throughBridge(): Promise<number> {
  const { databaseUrl, stop } = await startSeededDatabase("isikhnas_bench_im");
  const fake = await FakeBotApi.start({ token: TOKEN });
  try {
    for (let index = 0; index < updates; index += 1) fake.pushText(reporterOf(index), text(index));
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      IM_POLL_TIMEOUT_SECONDS: "1",
      IM_SEND_BATCH: "200",
      IM_SEND_POLL_INTERVAL_MS: "50",
      // The fake has no limits; Telegram's own (30/s per bot, 1/s per chat) would make this a
      // measure of those limits, not of the bridge.
      IM_GLOBAL_RATE_PER_SECOND: "100000",
      IM_CHAT_INTERVAL_MS: "0",
      HTTP_PORT: "0",
      LOG_LEVEL: "silent",
    });
    // No photos here: the bucket is never reached.
    const s3 = createS3Client({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9" });
    const app = createApp({
      config,
      db: createDatabase(config, "bench-im"),
      images: createBuckets({ s3 }, { prefix: "bench-" }).images,
      logger: createLogger({ name: "bench-im", level: "silent" }),
    });
    const reporterChats = new Set(reporters.map((type) => DEMO_USERS[type].imId));
    const replies = () => fake.sent.filter((message) => reporterChats.has(String(message.chat_id))).length;
    const started = performance.now();
    await app.start();
    await waitFor(() => replies() >= updates, {
      timeoutMs: 60 * 60_000,
      intervalMs: 50,
      description: "a reply for every update",
    });
    const seconds = (performance.now() - started) / 1000;
    await app.stop();
    s3.destroy();
    console.log(
      `bridge: ${updates} updates → ${replies()} replies (+${fake.sent.length - replies()} alerts) in ${seconds.toFixed(1)} s`,
    );
    return updates / seconds;
  } finally {
    await fake.close();
    await stop();
  }
}

async function engineDirectly(): Promise<number> {
  const { databaseUrl, stop } = await startSeededDatabase("isikhnas_bench_im_engine");
  const db = createDatabase({ DATABASE_URL: databaseUrl, DB_POOL_MAX: 2, DB_STATEMENT_TIMEOUT_MS: 60_000 });
  try {
    const started = performance.now();
    // One at a time, as the bridge handles updates (in update_id order).
    for (let index = 0; index < updates; index += 1) {
      await handleInboundMessage(db, {
        channel: "im",
        sender: String(reporterOf(index).id),
        text: text(index),
        receivedAt: new Date(),
        externalId: `engine:${index}`,
        environment: "live",
      });
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`engine alone: ${updates} messages in ${seconds.toFixed(1)} s`);
    return updates / seconds;
  } finally {
    await db.close();
    await stop();
  }
}

const bridgeRate = await throughBridge();
const engineRate = await engineDirectly();
console.log(`getUpdates → sendMessage through the engine: ${bridgeRate.toFixed(0)} updates/s`);
console.log(
  `engine called directly:                     ${engineRate.toFixed(0)} messages/s (bridge at ${((100 * bridgeRate) / engineRate).toFixed(0)} %)`,
);
recordFigures([against("im.bridge", bridgeRate, "update/s", "engine alone, same texts", engineRate)]);
