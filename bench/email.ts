// E-mail throughput on the local emulators. Ingest: mails per second through the Postfix
// pipe path (raw mail stored, parsed, sender checked, workbook stored, emailinput queued)
// beside the bare SDK calls that path makes (PutObject raw mail + PutObject workbook +
// SendMessage). Sending: mails per second of a broadcast with the rate limit lifted
// beside bare SES SendEmail (raw) calls of the same message at the same concurrency, and
// the rate reached under a configured limit the sender could exceed (it should match it).
// Run: npm run bench:email [-- --mails 300 --recipients 2000 --concurrency 8 --only ingest|send]
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
  type Database,
  physicalBucketName,
  provisionResources,
} from "@isikhnas/platform";
import { buildIngestDeps } from "../apps/email-ingest/src/app.js";
import { loadConfig as loadIngestConfig } from "../apps/email-ingest/src/config.js";
import { receivePipedMail } from "../apps/email-ingest/src/pipe.js";
import { createApp as createSender } from "../apps/email-sender/src/app.js";
import { loadConfig as loadSenderConfig } from "../apps/email-sender/src/config.js";
import { against, type BenchFigure, recordFigures } from "./figures.js";
import { inParallel } from "./pool.js";
import { startSeededDatabase } from "./stack.js";

const { values: args } = parseArgs({
  options: {
    mails: { type: "string", default: "300" },
    recipients: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
    /** One half alone (to profile it): "ingest" or "send". */
    only: { type: "string" },
  },
});
const mails = Number(args.mails);
const recipients = Number(args.recipients);
const concurrency = Number(args.concurrency);
const ingestPart = args.only !== "send";
const sendPart = args.only !== "ingest";
const INGEST_ADDRESS = "laporan@isikhnas.example";
/** Mails each ingest path handles, untimed, before it is measured. */
const WARM_UP = 16;
/** The configured sending rate of the limited run, well below what the sender reaches unlimited. */
const LIMITED_RATE = 20;

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

    // Ingest through the pipe path, then the bare calls.
    const measureIngest = async () => {
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
      const pipeMail = (run: string) => async (index: number) => {
        const outcome = await receivePipedMail(ingest, Readable.from([mailAt(index, run)]), INGEST_ADDRESS);
        if (outcome.result?.kind !== "queued")
          throw new Error(`mail ${index} not queued: ${JSON.stringify(outcome)}`);
      };
      const { QueueUrl: inputUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: `${prefix}emailinput` }),
      );
      const bareMail = (run: string) => async (index: number) => {
        const raw = mailAt(index, run);
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
        await sqs.send(
          new SendMessageCommand({ QueueUrl: inputUrl, MessageBody: JSON.stringify({ index }) }),
        );
      };
      // Both warmed up first, as a running daemon is: the first mails of a process pay for
      // loading and compiling what the path uses, and the pipe path went first.
      await inParallel(concurrency, WARM_UP, pipeMail("warm"));
      await inParallel(concurrency, WARM_UP, bareMail("bare-warm"));
      const ingestSeconds = await inParallel(concurrency, mails, pipeMail("pipe"));
      await ingestDb.close();
      const bareIngestSeconds = await inParallel(concurrency, mails, bareMail("bare"));

      return { ingestSeconds, bareIngestSeconds };
    };
    // Sending: a broadcast with the limit lifted, one at a configured rate, then bare SES.
    const measureSend = async () => {
      const addresses = Array.from({ length: recipients }, (_, i) => `officer${i}@district.example`);
      // Seconds for one broadcast to `count` recipients through a sender started at `rate`.
      // The SES emulator keeps every mail in memory, and a run after thousands of them
      // would pay (in garbage collection) for those before it: each run starts with none.
      const clearSentMail = async () => {
        const cleared = await fetch(`${emulators.sesEndpoint}/clear-store`, { method: "POST" });
        if (!cleared.ok) throw new Error(`clearing the SES emulator's mail: ${cleared.status}`);
      };
      // The sender's statements, counted by wrapping its pool: what a send costs on RDS.
      let statements = 0;
      const counted = (db: Database): Database => ({
        primary: db.primary,
        replica: db.replica,
        transaction: (work) => db.transaction(work),
        ping: () => db.ping(),
        close: () => db.close(),
        query: (text, values) => {
          statements += 1;
          return db.query(text, values);
        },
      });
      const broadcast = async (id: string, count: number, rate: { perSecond: number; burst: number }) => {
        // Queues of its own: a stopped consumer's aborted long poll may still have been handed
        // the next message, which would then stay hidden for the visibility timeout.
        const queuePrefix = `${id}-`;
        await provisionResources({ sqs, s3, prefix: queuePrefix });
        const senderConfig = loadSenderConfig({
          ...env,
          RESOURCE_PREFIX: queuePrefix,
          MAIL_FROM: "iSIKHNAS <laporan@isikhnas.example>",
          SEND_RATE_PER_SECOND: String(rate.perSecond),
          SEND_BURST: String(rate.burst),
          SEND_ACCOUNT: id,
          SEND_CONCURRENCY: String(concurrency),
        });
        const sender = createSender({
          config: senderConfig,
          logger,
          sqs,
          s3,
          db: counted(createDatabase(senderConfig, "bench-email-sender")),
          mailer: createMailer(senderConfig, { ses }),
        });
        await sender.start();
        const key = `bench/recipients-${count}.txt`;
        await createBuckets({ s3 }, { prefix: queuePrefix }).reports.put(
          key,
          addresses.slice(0, count).join("\n"),
        );
        await clearSentMail();
        statements = 0;
        const started = performance.now();
        await createProducer({ sqs }, { prefix: queuePrefix }).send("emailoutput", {
          type: "emailoutput",
          version: 1,
          id,
          environment: "live",
          recipientList: { bucket: "reports", key },
          subject: "[iSIKHNAS] Peringatan wabah",
          text: "Kasus prioritas dilaporkan di provinsi Anda.",
        });
        await waitFor(
          async () =>
            (
              await watcher.query("SELECT 1 FROM email_sends WHERE message_key = $1 AND status = 'done'", [
                id,
              ])
            ).rows.length > 0,
          { timeoutMs: 600_000, intervalMs: 50 },
        );
        const seconds = (performance.now() - started) / 1000;
        await sender.stop();
        // From the first recipient's send to the last: the sending rate itself, without the
        // broadcast's fixed costs (receive, recipient list, ledger).
        const { rows } = await watcher.query<{ n: number; span: number }>(
          `SELECT count(*)::int AS n, EXTRACT(EPOCH FROM max(o.sent_at) - min(o.sent_at))::float8 AS span
             FROM outbound_emails o JOIN email_sends s ON s.id = o.send_id
            WHERE s.message_key = $1 AND o.status = 'sent'`,
          [id],
        );
        const sent = rows[0] ?? { n: 0, span: 0 };
        if (sent.n !== count) throw new Error(`${id}: ${sent.n} of ${count} sent`);
        return { seconds, sendingRate: (sent.n - 1) / sent.span, statementsPerMail: statements / count };
      };
      // The limit lifted: the sender's own cost beside bare SES calls.
      const {
        seconds: sendSeconds,
        sendingRate,
        statementsPerMail,
      } = await broadcast("bench-broadcast", recipients, {
        perSecond: 1_000_000,
        burst: 1_000_000,
      });
      // A limit below what the sender can do, no burst: it must send at that rate, not above.
      const limitedCount = Math.min(recipients, LIMITED_RATE * 5);
      const limited = await broadcast("bench-broadcast-limited", limitedCount, {
        perSecond: LIMITED_RATE,
        burst: 1,
      });

      const raw = await composeMessage(
        {
          from: "iSIKHNAS <laporan@isikhnas.example>",
          to: "officer@district.example",
          subject: "[iSIKHNAS] Peringatan wabah",
          text: "Kasus prioritas dilaporkan di provinsi Anda.",
        },
        { defaultFrom: "laporan@isikhnas.example", maxBytes: 10_000_000 },
      );
      await clearSentMail();
      const bareSendSeconds = await inParallel(concurrency, recipients, async () => {
        await ses.send(new SendEmailCommand({ Content: { Raw: { Data: raw } } }));
      });
      return { sendSeconds, sendingRate, statementsPerMail, bareSendSeconds, limited, limitedCount };
    };
    const ingested = ingestPart ? await measureIngest() : undefined;
    const sent = sendPart ? await measureSend() : undefined;
    await watcher.close();
    sqs.destroy();
    s3.destroy();
    ses.destroy();

    console.log(
      `email benchmark (concurrency ${concurrency}; Node ${process.version}; emulators in process)`,
    );
    const figures: BenchFigure[] = [];
    if (ingested) {
      const { ingestSeconds, bareIngestSeconds } = ingested;
      console.log(`  ingest, Postfix pipe path        ${rate(mails, ingestSeconds)}`);
      console.log(`  bare PutObject×2 + SendMessage   ${rate(mails, bareIngestSeconds)}`);
      figures.push(
        against(
          "email.ingest",
          mails / ingestSeconds,
          "mail/s",
          "bare PutObject×2 + SendMessage",
          mails / bareIngestSeconds,
        ),
      );
    }
    if (sent) {
      const { sendSeconds, sendingRate, statementsPerMail, bareSendSeconds, limited, limitedCount } = sent;
      console.log(
        `  send, broadcast (limit lifted)   ${rate(recipients, sendSeconds)}, first to last send ${sendingRate.toFixed(1)} /s, ${statementsPerMail.toFixed(2)} statements a mail`,
      );
      console.log(`  bare SES SendEmail (raw)         ${rate(recipients, bareSendSeconds)}`);
      console.log(
        `  send at ${LIMITED_RATE}/s configured        ${rate(limitedCount, limited.seconds)}, first to last send ${limited.sendingRate.toFixed(1)} /s`,
      );
      figures.push(
        against(
          "email.send",
          recipients / sendSeconds,
          "mail/s",
          "bare SES SendEmail",
          recipients / bareSendSeconds,
        ),
        against("email.send.limited", limited.sendingRate, "mail/s", "configured rate", LIMITED_RATE),
      );
    }
    recordFigures(figures);
  } finally {
    await emulators.stop();
    await seeded.stop();
  }
}

await main();
