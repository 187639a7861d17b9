// E-mail throughput on the local emulators. Ingest: mails per second through the Postfix
// pipe path (raw mail stored, parsed, sender checked, workbook stored, emailinput queued)
// beside the bare SDK calls that path makes (PutObject raw mail + PutObject workbook +
// SendMessage). Sending: mails per second of a broadcast with the rate limit lifted
// beside bare SES SendEmail (raw) calls of the same message at the same concurrency.
// Run: npm run bench:email [-- --mails 300 --recipients 2000 --concurrency 8]
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { startEmulators, waitFor } from "@isikhnas/devstack";
import { DEMO_USERS } from "@isikhnas/domain";
import {
  composeMessage,
  createBuckets,
  createDatabase,
  createLogger,
  createMailer,
  createProducer,
  createS3Client,
  createSesClient,
  createSqsClient,
  physicalBucketName,
  provisionResources,
} from "@isikhnas/platform";
import { buildIngestDeps } from "../apps/email-ingest/src/app.js";
import { loadConfig as loadIngestConfig } from "../apps/email-ingest/src/config.js";
import { receivePipedMail } from "../apps/email-ingest/src/pipe.js";
import { createApp as createSender } from "../apps/email-sender/src/app.js";
import { loadConfig as loadSenderConfig } from "../apps/email-sender/src/config.js";
import { inParallel } from "./pool.js";
import { startSeededDatabase } from "./stack.js";

const { values: args } = parseArgs({
  options: {
    mails: { type: "string", default: "300" },
    recipients: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
  },
});
const mails = Number(args.mails);
const recipients = Number(args.recipients);
const concurrency = Number(args.concurrency);
const INGEST_ADDRESS = "laporan@isikhnas.example";

function rate(count: number, seconds: number): string {
  return `${(count / seconds).toFixed(1).padStart(8)} /s  (${count} in ${seconds.toFixed(2)} s)`;
}

async function main() {
  const seeded = await startSeededDatabase("isikhnas_bench_email");
  const emulators = await startEmulators();
  try {
    const { databaseUrl } = seeded;
    const watcher = createDatabase({
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: 2,
      DB_STATEMENT_TIMEOUT_MS: 60_000,
    });

    const prefix = "bench-";
    const env = {
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SQS: emulators.awsEndpoint,
      AWS_ENDPOINT_URL_S3: emulators.awsEndpoint,
      AWS_ENDPOINT_URL_SES: emulators.sesEndpoint,
      RESOURCE_PREFIX: prefix,
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: String(concurrency + 4),
      HTTP_PORT: "0",
      LOG_LEVEL: "silent",
    };
    const sqs = createSqsClient(env);
    const s3 = createS3Client(env);
    const ses = createSesClient(env);
    await provisionResources({ sqs, s3, prefix });
    const logger = createLogger({ name: "bench-email", level: "silent" });

    // Ingest through the pipe path.
    const template = await readFile(
      new URL("../apps/email-ingest/src/fixtures/nested-multipart.eml", import.meta.url),
      "latin1",
    );
    const workbook = await readFile(
      new URL("../apps/email-ingest/src/fixtures/monthly-slaughter.xlsx", import.meta.url),
    );
    const mailAt = (index: number, run: string) =>
      Buffer.from(
        template
          .replaceAll("FROM_ADDRESS", DEMO_USERS.abattoir_reporter.email)
          .replaceAll("TO_ADDRESS", INGEST_ADDRESS)
          .replaceAll("MSGTAG", `${run}-${index}`),
        "latin1",
      );
    const ingestDb = createDatabase({
      ...env,
      DB_POOL_MAX: concurrency + 4,
      DB_STATEMENT_TIMEOUT_MS: 30_000,
    });
    const ingest = buildIngestDeps({
      config: loadIngestConfig({ ...env, INGEST_ADDRESS_LIVE: INGEST_ADDRESS }),
      logger,
      sqs,
      s3,
      databases: { live: ingestDb },
    });
    const ingestSeconds = await inParallel(concurrency, mails, async (index) => {
      const outcome = await receivePipedMail(ingest, Readable.from([mailAt(index, "pipe")]), INGEST_ADDRESS);
      if (outcome.result?.kind !== "queued")
        throw new Error(`mail ${index} not queued: ${JSON.stringify(outcome)}`);
    });
    await ingestDb.close();

    const { QueueUrl: inputUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: `${prefix}emailinput` }),
    );
    const bareIngestSeconds = await inParallel(concurrency, mails, async (index) => {
      const raw = mailAt(index, "bare");
      await s3.send(
        new PutObjectCommand({
          Bucket: physicalBucketName(prefix, "rawmail"),
          Key: `bare/${index}.eml`,
          Body: raw,
        }),
      );
      await s3.send(
        new PutObjectCommand({
          Bucket: physicalBucketName(prefix, "queuefiles"),
          Key: `bare/${index}.xlsx`,
          Body: workbook,
        }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl: inputUrl, MessageBody: JSON.stringify({ index }) }));
    });

    // Sending with the rate limit lifted.
    const senderConfig = loadSenderConfig({
      ...env,
      MAIL_FROM: "iSIKHNAS <laporan@isikhnas.example>",
      SEND_RATE_PER_SECOND: "1000000",
      SEND_CONCURRENCY: String(concurrency),
    });
    const sender = createSender({
      config: senderConfig,
      logger,
      sqs,
      s3,
      db: createDatabase(senderConfig, "bench-email-sender"),
      mailer: createMailer(senderConfig, { ses }),
    });
    await sender.start();
    const addresses = Array.from({ length: recipients }, (_, i) => `officer${i}@district.example`);
    const buckets = createBuckets({ s3 }, { prefix });
    await buckets.reports.put("bench/recipients.txt", addresses.join("\n"));
    const sendStarted = performance.now();
    await createProducer({ sqs }, { prefix }).send("emailoutput", {
      type: "emailoutput",
      version: 1,
      id: "bench-broadcast",
      environment: "live",
      recipientList: { bucket: "reports", key: "bench/recipients.txt" },
      subject: "[iSIKHNAS] Peringatan wabah",
      text: "Kasus prioritas dilaporkan di provinsi Anda.",
    });
    await waitFor(
      async () =>
        (
          await watcher.query(
            "SELECT 1 FROM email_sends WHERE message_key = 'bench-broadcast' AND status = 'done'",
          )
        ).rows.length > 0,
      { timeoutMs: 600_000, intervalMs: 50 },
    );
    const sendSeconds = (performance.now() - sendStarted) / 1000;
    await sender.stop();

    const raw = await composeMessage(
      {
        from: "iSIKHNAS <laporan@isikhnas.example>",
        to: "officer@district.example",
        subject: "[iSIKHNAS] Peringatan wabah",
        text: "Kasus prioritas dilaporkan di provinsi Anda.",
      },
      { defaultFrom: "laporan@isikhnas.example", maxBytes: 10_000_000 },
    );
    const bareSendSeconds = await inParallel(concurrency, recipients, async () => {
      await ses.send(new SendEmailCommand({ Content: { Raw: { Data: raw } } }));
    });
    await watcher.close();
    sqs.destroy();
    s3.destroy();
    ses.destroy();

    console.log(
      `email benchmark (concurrency ${concurrency}; Node ${process.version}; emulators in process)`,
    );
    console.log(`  ingest, Postfix pipe path        ${rate(mails, ingestSeconds)}`);
    console.log(`  bare PutObject×2 + SendMessage   ${rate(mails, bareIngestSeconds)}`);
    console.log(`  send, broadcast (limit lifted)   ${rate(recipients, sendSeconds)}`);
    console.log(`  bare SES SendEmail (raw)         ${rate(recipients, bareSendSeconds)}`);
  } finally {
    await emulators.stop();
    await seeded.stop();
  }
}

await main();
