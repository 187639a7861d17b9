// The whole local stack in one process: PostgreSQL (one database per environment,
// migrated and seeded), SQS/S3/SES emulators with every queue and bucket, spool folders,
// and a fake Telegram Bot API per environment unless real bot tokens were given.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { migrationsDir, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import {
  createS3Client,
  createSqsClient,
  type Database,
  migrate,
  createDatabase as openDatabase,
  provisionResources,
} from "@isikhnas/platform";
import { startEmulators } from "../emulators.js";
import { createDatabase, startPostgres } from "../postgres.js";
import { FakeBotApi } from "../telegram/fake-bot-api.js";
import { LOCAL_CANARY_PHONE, type LocalEndpoints, localEndpoints } from "./environment.js";
import { ENVIRONMENTS, type LocalEnvironment, type LocalLayout } from "./layout.js";

export const SPOOL_FOLDERS = ["incoming", "outgoing", "checked", "failed", "sent", "quarantine"] as const;

export interface LocalStack extends LocalEndpoints {
  stop(): Promise<void>;
}

/**
 * Migrates a database and loads the reference and demo data (both idempotent); with
 * `canaryPhone`, also the monitor's canary user.
 */
export async function prepareDatabase(url: string, options: { canaryPhone?: string } = {}): Promise<void> {
  await migrate({ databaseUrl: url, dir: migrationsDir });
  const db = openDatabase({ DATABASE_URL: url, DB_POOL_MAX: 2, DB_STATEMENT_TIMEOUT_MS: 60_000 });
  try {
    await seedReferenceData(db);
    await seedDemoData(db);
    if (options.canaryPhone) await ensureCanaryUser(db, options.canaryPhone);
  } finally {
    await db.close();
  }
}

/**
 * The monitor's canary: a viewer (it may ask KODE, reports nothing, gets no alerts) with an
 * SMS contact, in a place of the demo data, so its messages touch no officer's records.
 */
export async function ensureCanaryUser(db: Database, phone: string): Promise<void> {
  await db.transaction(async (tx) => {
    const existing = await tx.query("SELECT 1 FROM contacts WHERE channel = 'sms' AND address = $1", [phone]);
    if (existing.rows.length) return;
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO users (name, user_type, home_location_id, language)
       SELECT 'Monitor canary', 'viewer', id, 'en' FROM locations WHERE code = '73080102'
       RETURNING id`,
    );
    await tx.query(
      "INSERT INTO contacts (user_id, channel, address, verified) VALUES ($1, 'sms', $2, true)",
      [inserted.rows[0]?.id, phone],
    );
  });
}

export async function startLocalStack(layout: LocalLayout, log: (line: string) => void): Promise<LocalStack> {
  await mkdir(layout.dataDir, { recursive: true });
  const postgres = await startPostgres({
    databaseUrl: layout.databaseUrl,
    dataDir: layout.postgresDir,
    port: layout.ports.postgres,
    persistent: true,
    binDir: layout.postgresBinDir,
  });
  const emulators = await startEmulators({ awsPort: layout.ports.aws, sesPort: layout.ports.ses }).catch(
    async (error: unknown) => {
      await postgres.stop();
      throw error;
    },
  );
  const endpoints = localEndpoints(layout);
  // A fake Bot API per environment whose bot has no real token: `npm run chat` talks to it.
  const bots: FakeBotApi[] = [];
  const stopBots = () => Promise.all(bots.splice(0).map((bot) => bot.close()));
  try {
    for (const [index, environment] of ENVIRONMENTS.entries()) {
      const bot = endpoints.telegram[environment];
      if (bot.fake)
        bots.push(await FakeBotApi.start({ token: bot.token, port: layout.ports.telegram + index }));
    }
  } catch (error) {
    await stopBots();
    await emulators.stop();
    await postgres.stop();
    throw error;
  }
  try {
    const databaseUrls = {} as Record<LocalEnvironment, string>;
    const spoolDirs = {} as Record<LocalEnvironment, string>;
    for (const environment of ENVIRONMENTS) {
      const url = await createDatabase(postgres.adminUrl, `isikhnas_${environment}`);
      await prepareDatabase(url, environment === "live" ? { canaryPhone: LOCAL_CANARY_PHONE } : {});
      databaseUrls[environment] = url;
      spoolDirs[environment] = layout.spoolDir(environment);
      for (const folder of SPOOL_FOLDERS)
        await mkdir(join(spoolDirs[environment], folder), { recursive: true });
    }
    // The monitor's store and its outbox of texts (a folder of its own, as in production).
    await mkdir(join(layout.monitorDir, "outbox"), { recursive: true });
    const aws = { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: emulators.awsEndpoint };
    const sqs = createSqsClient(aws);
    const s3 = createS3Client(aws);
    await provisionResources({ sqs, s3, prefix: layout.prefix });
    sqs.destroy();
    s3.destroy();
    log("local stack ready");
    return {
      databaseUrls,
      awsEndpoint: emulators.awsEndpoint,
      sesEndpoint: emulators.sesEndpoint,
      spoolDirs,
      telegram: endpoints.telegram,
      async stop() {
        await stopBots();
        await emulators.stop();
        await postgres.stop();
      },
    };
  } catch (error) {
    await stopBots();
    await emulators.stop();
    await postgres.stop();
    throw error;
  }
}
