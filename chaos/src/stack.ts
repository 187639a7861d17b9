// The chaos run's own local stack: an embedded PostgreSQL it can stop and start again on
// the same data folder and port, the SQS/S3 and SES emulators, a stall proxy in front of
// SQS/S3, the fake Telegram Bot API, every queue and bucket, one migrated and seeded
// database, and the SMS spool.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  createDatabase,
  FakeBotApi,
  freePort,
  prepareDatabase,
  type RunningPostgres,
  startEmulators,
  startPostgres,
} from "@isikhnas/devstack";
import { DEMO_USERS } from "@isikhnas/domain";
import {
  createS3Client,
  createSqsClient,
  createDatabase as openDatabase,
  provisionResources,
} from "@isikhnas/platform";
import type { Plan } from "./load.js";
import { type StallProxy, startStallProxy } from "./stall-proxy.js";

export const SPOOL_FOLDERS = ["incoming", "outgoing", "checked", "failed", "sent", "quarantine"] as const;
export const INGEST_ADDRESS = "laporan@isikhnas.chaos";
/** Visibility of every queue: a message held by a killed daemon comes back after this. */
export const VISIBILITY_SECONDS = 30;
/** The chaos run's bot (the fake Bot API answers to this token only). */
export const BOT_TOKEN = "7100001:chaos-token-abcdefghijklmnop";

export interface ChaosStack {
  workDir: string;
  /** The PostgreSQL cluster's folder (kept with the work folder, to look into afterwards). */
  postgresDir: string;
  spoolDir: string;
  databaseUrl: string;
  prefix: string;
  awsEndpoint: string;
  sesEndpoint: string;
  proxy: StallProxy;
  /** Telegram: the run pushes IM updates into it and reads what the bot sent. */
  bot: FakeBotApi;
  /** Clients of the harness itself, straight to the emulator (never stalled). */
  sqs: SQSClient;
  s3: S3Client;
  /** Stops PostgreSQL (fast shutdown, as a host's restart would) and starts it again. */
  restartPostgres(): Promise<void>;
  close(options?: { keepWorkDir?: boolean }): Promise<void>;
}

export async function startChaosStack(plan: Plan): Promise<ChaosStack> {
  const workDir = await mkdtemp(join(tmpdir(), `isikhnas-chaos-${plan.seed}-`));
  // Its own temporary folder: PostgreSQL runs as another user when started as root.
  const dataDir = await mkdtemp(join(tmpdir(), `isikhnas-chaos-pg-${plan.seed}-`));
  const port = await freePort();
  let postgres: RunningPostgres = await startPostgres({ dataDir, port, persistent: true });
  const emulators = await startEmulators();
  const proxy = await startStallProxy(emulators.awsEndpoint);
  const bot = await FakeBotApi.start({ token: BOT_TOKEN });
  const prefix = `chaos${plan.seed}-`;
  const aws = { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: emulators.awsEndpoint };
  const sqs = createSqsClient(aws);
  const s3 = createS3Client(aws);
  const close: ChaosStack["close"] = async (options = {}) => {
    sqs.destroy();
    s3.destroy();
    await proxy.close();
    await bot.close();
    await emulators.stop();
    await postgres.stop();
    if (options.keepWorkDir) return;
    await rm(dataDir, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await provisionResources({ sqs, s3, prefix, visibilityTimeoutSeconds: VISIBILITY_SECONDS });
    const databaseUrl = await createDatabase(postgres.adminUrl, "isikhnas_chaos");
    await prepareDatabase(databaseUrl);
    await addSenders(databaseUrl, plan);
    const spoolDir = join(workDir, "spool");
    for (const folder of SPOOL_FOLDERS) await mkdir(join(spoolDir, folder), { recursive: true });
    return {
      workDir,
      postgresDir: dataDir,
      spoolDir,
      databaseUrl,
      prefix,
      awsEndpoint: emulators.awsEndpoint,
      sesEndpoint: emulators.sesEndpoint,
      proxy,
      bot,
      sqs,
      s3,
      async restartPostgres() {
        await postgres.stop();
        postgres = await startPostgres({ dataDir, port, persistent: true });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The plan's extra registered phones, upload addresses and Telegram ids, as more contacts of demo users. */
export async function addSenders(databaseUrl: string, plan: Plan): Promise<void> {
  const db = openDatabase({ DATABASE_URL: databaseUrl, DB_POOL_MAX: 1, DB_STATEMENT_TIMEOUT_MS: 60_000 });
  const add = `INSERT INTO contacts (user_id, channel, address, verified)
               SELECT user_id, $2, unnest($3::text[]), true FROM contacts WHERE channel = 'sms' AND address = $1`;
  try {
    for (const [type, phones] of Object.entries(plan.extraPhones)) {
      await db.query(add, [DEMO_USERS[type as keyof typeof DEMO_USERS].phone, "sms", phones]);
    }
    await db.query(add, [DEMO_USERS.paravet.phone, "email", plan.mailAddresses]);
    for (const [type, ids] of Object.entries(plan.extraImIds)) {
      await db.query(add, [DEMO_USERS[type as keyof typeof DEMO_USERS].phone, "im", ids]);
    }
  } finally {
    await db.close();
  }
}
