// Per-test-file access to the local stack: a fresh database copied from the migrated
// template, and a unique resource prefix so queues and buckets are the test's own.
import { randomBytes } from "node:crypto";
import {
  createS3Client,
  createSqsClient,
  type Database,
  type Env,
  createDatabase as openPlatformDatabase,
  provisionResources,
  queueStats,
} from "@isikhnas/platform";
import { inject } from "vitest";
import { Mailbox } from "../mailbox.js";
import { type WaitOptions, waitFor } from "../wait.js";
import "./context.js";
import { createDatabase, dropDatabase } from "../postgres.js";

export { Mailbox, type SentMail } from "../mailbox.js";
export { FakeBotApi, type FakeUser, type SentMessage } from "../telegram/fake-bot-api.js";
export { waitFor } from "../wait.js";
export { type CapturedLog, captureLog } from "./log-capture.js";

/** Resolves once a queue has nothing waiting and nothing in flight (all handled and deleted). */
export async function waitForQueueDrained(
  stack: Pick<TestStack, "sqs" | "prefix">,
  queue: string,
  options: WaitOptions = {},
): Promise<void> {
  await waitFor(
    async () => {
      const [stats] = await queueStats(stack.sqs, stack.prefix, [queue]);
      return stats !== undefined && stats.depth === 0 && stats.inFlight === 0 && stats.delayed === 0;
    },
    { description: `queue ${queue} to drain`, ...options },
  );
}

export interface TestStack {
  /** A unique lower-case id for this stack: use it in names and addresses. */
  id: string;
  prefix: string;
  databaseUrl: string;
  /** The variables a daemon's loadConfig needs to reach this stack. */
  env: Env;
  sqs: ReturnType<typeof createSqsClient>;
  s3: ReturnType<typeof createS3Client>;
  mailbox: Mailbox;
  /** Creates every queue (with DLQ and redrive) and bucket under this stack's prefix. */
  provision(options?: {
    maxReceiveCount?: number;
    visibilityTimeoutSeconds?: number;
    /** Only these queues / buckets (default: all). */
    queues?: readonly string[];
    buckets?: readonly string[];
  }): ReturnType<typeof provisionResources>;
  /** A Database on this stack's database (small pool, statement timeout), closed by close(). */
  openDatabase(options?: { poolMax?: number; statementTimeoutMs?: number }): Database;
  /** Closes the databases opened, drops the database and destroys the clients. */
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** "migrated" (default): a copy of the migrated template; "empty": a bare database; false: none. */
  database?: "migrated" | "empty" | false;
}

export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const context = inject("devstack");
  const id = `t${randomBytes(5).toString("hex")}`;
  const prefix = `${id}-`;
  const databaseName = `test_${id}`;
  const database = options.database ?? "migrated";
  const withDatabase = database !== false;
  const databaseUrl = withDatabase
    ? await createDatabase(
        context.adminUrl,
        databaseName,
        database === "migrated" ? context.templateDatabase : undefined,
      )
    : "";
  const env: Env = {
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: context.awsEndpoint,
    AWS_ENDPOINT_URL_S3: context.awsEndpoint,
    AWS_ENDPOINT_URL_SES: context.sesEndpoint,
    RESOURCE_PREFIX: prefix,
    DATABASE_URL: databaseUrl || undefined,
    HTTP_PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  };
  const sqs = createSqsClient({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SQS: context.awsEndpoint });
  const s3 = createS3Client({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: context.awsEndpoint });
  const opened: Database[] = [];
  return {
    id,
    prefix,
    databaseUrl,
    env,
    sqs,
    s3,
    mailbox: new Mailbox(context.sesEndpoint),
    provision: (provisionOptions = {}) => provisionResources({ sqs, s3, prefix, ...provisionOptions }),
    openDatabase({ poolMax = 4, statementTimeoutMs = 10_000 } = {}) {
      if (!withDatabase) throw new Error("this test stack was created without a database");
      const db = openPlatformDatabase({
        DATABASE_URL: databaseUrl,
        DB_POOL_MAX: poolMax,
        DB_STATEMENT_TIMEOUT_MS: statementTimeoutMs,
      });
      opened.push(db);
      return db;
    },
    async close() {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      sqs.destroy();
      s3.destroy();
      if (withDatabase) await dropDatabase(context.adminUrl, databaseName);
    },
  };
}
export {
  type ReplicatedPostgres,
  type ReplicatedPostgresOptions,
  startReplicatedPostgres,
} from "./streaming-replica.js";
export { findSystemPostgresBinDir, type SystemPostgres, startSystemPostgres } from "./system-postgres.js";
