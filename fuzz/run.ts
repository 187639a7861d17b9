// `npm run fuzz [-- --seconds 120 --seed 7 --channels sms,mime]`: mutated corpus inputs
// through each channel's real handler on a throw-away stack (embedded PostgreSQL, the
// SQS/S3 emulators), for a bounded time. Prints, per channel, inputs tried, answered,
// quarantined (refused or dead-lettered with a reason) and crashes; exits 1 on any crash
// and keeps each crashing input under .local/fuzz/<channel>/ to replay.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { messageCatalog } from "@isikhnas/contracts";
import { FakeBotApi, startEmulators } from "@isikhnas/devstack";
import { DEMO_USERS } from "@isikhnas/domain";
import {
  createBuckets,
  createDatabase,
  createLogger,
  createProducer,
  createS3Client,
  createSqsClient,
  provisionResources,
} from "@isikhnas/platform";
import fc from "fast-check";
import { buildIngestDeps } from "../apps/email-ingest/src/app.js";
import { loadConfig as loadIngestConfig } from "../apps/email-ingest/src/config.js";
import { receivePipedMail } from "../apps/email-ingest/src/pipe.js";
import { CodeListCache } from "../apps/excel-processor/src/code-lists.js";
import { limitsOf, loadConfig as loadProcessorConfig } from "../apps/excel-processor/src/config.js";
import { stageMessage } from "../apps/excel-processor/src/testing/harness.js";
import { createUploadHandler } from "../apps/excel-processor/src/upload-handler.js";
import { createBotApi } from "../apps/im-bridge/src/bot-api.js";
import { UpdateHandler } from "../apps/im-bridge/src/handler.js";
import { UpdateQueue } from "../apps/im-bridge/src/receiver.js";
import { isUpdate, storeUpdates } from "../apps/im-bridge/src/updates.js";
import { createReportHandler } from "../apps/report-generator/src/handler.js";
import { createIncomingDeps } from "../apps/sms-gateway/src/app.js";
import { loadConfig as loadGatewayConfig } from "../apps/sms-gateway/src/config.js";
import { handleIncomingFile, sweepParts } from "../apps/sms-gateway/src/incoming-handler.js";
import { ensureSpool, spoolLayout } from "../apps/sms-gateway/src/spool/layout.js";
import { startSeededDatabase } from "../bench/stack.js";
import { CORPORA } from "./corpora.js";
import { REGISTERED, smsFile } from "./corpus-sms.js";
import { mutate, pick, random } from "./mutate.js";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    channels: { type: "string", default: "sms,mime,workbooks,reports,im" },
  },
});
const seconds = Number(args.seconds);
const seed = Number(args.seed);
const channels = (args.channels ?? "").split(",").filter(Boolean);
/** An input that takes longer than this is a hang, counted as a crash. */
const INPUT_TIMEOUT_MS = 30_000;
const INGEST_ADDRESS = "laporan@isikhnas.example";
const BOT_TOKEN = "7200001:fuzz-token-abcdefghijklmnop";
const BOT_ID = "7200001";

type Verdict = "answered" | "quarantined";
interface Tally {
  tried: number;
  answered: number;
  quarantined: number;
  crashes: number;
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no outcome within ${INPUT_TIMEOUT_MS} ms`)), INPUT_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  console.log(`fuzz: ${seconds} s over ${channels.join(", ")}, seed ${seed}`);
  const seeded = await startSeededDatabase("isikhnas_fuzz");
  const emulators = await startEmulators();
  const work = await mkdtemp(join(tmpdir(), "isikhnas-fuzz-"));
  const crashDir = join(process.cwd(), ".local", "fuzz");
  const logger = createLogger({ name: "fuzz", level: "silent" });
  const prefix = "fuzz-";
  const env = {
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: emulators.awsEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.awsEndpoint,
    AWS_ENDPOINT_URL_SES: emulators.sesEndpoint,
    RESOURCE_PREFIX: prefix,
    DATABASE_URL: seeded.databaseUrl,
    HTTP_PORT: "0",
    LOG_LEVEL: "silent",
  };
  const sqs = createSqsClient(env);
  const s3 = createS3Client(env);
  await provisionResources({ sqs, s3, prefix });
  const db = createDatabase({ ...env, DB_POOL_MAX: 6, DB_STATEMENT_TIMEOUT_MS: 30_000 });
  const buckets = createBuckets({ s3 }, { prefix });
  const producer = createProducer({ sqs, logger }, { prefix });

  const spoolRoot = join(work, "spool");
  const spool = spoolLayout(spoolRoot);
  await ensureSpool(spool);
  const sms = createIncomingDeps({
    config: loadGatewayConfig({ ...env, SMS_SPOOL_DIR: spoolRoot }),
    db,
    logger,
  });
  const ingest = buildIngestDeps({
    config: loadIngestConfig({ ...env, INGEST_ADDRESS_LIVE: INGEST_ADDRESS }),
    logger,
    sqs,
    s3,
    databases: { live: db },
  });
  const processorConfig = loadProcessorConfig(env);
  const upload = createUploadHandler({
    databases: { live: db },
    buckets,
    producer,
    codeLists: new CodeListCache(),
    settings: {
      systemTag: processorConfig.SYSTEM_TAG,
      limits: limitsOf(processorConfig),
      errorWorkbookMaxRows: processorConfig.ERROR_WORKBOOK_MAX_ROWS,
      statementTimeoutMs: processorConfig.IMPORT_STATEMENT_TIMEOUT_MS,
    },
  });
  const report = createReportHandler(
    { databases: { live: db }, reports: buckets.reports, producer },
    {
      hostId: "fuzz",
      leaseSeconds: 60,
      replicaRetrySeconds: 1,
      maxAttempts: 3,
      attachMaxBytes: 10 * 1024 * 1024,
      linkDays: 7,
      systemTags: { live: "[iSIKHNAS]", training: "[iSIKHNAS TRAINING]" },
    },
  );
  // IM: the bridge's own store and in-order handler, as its webhook runs them, against a
  // fake Bot API (for getFile on photos).
  const telegram = await FakeBotApi.start({ token: BOT_TOKEN });
  const api = createBotApi({ token: BOT_TOKEN, apiRoot: telegram.url, timeoutSeconds: 10 });
  const imQueue = new UpdateQueue({
    db,
    api,
    logger,
    botId: BOT_ID,
    token: BOT_TOKEN,
    onHandled: () => {},
    handler: new UpdateHandler({
      db,
      api,
      images: buckets.images,
      logger,
      botId: BOT_ID,
      token: BOT_TOKEN,
      apiRoot: telegram.url,
      environment: "live",
      systemTag: "[iSIKHNAS]",
      maxFileBytes: 20 * 1024 * 1024,
      linkNoticeHours: 24,
    }),
  });
  // Far above the ids the corpus files carry themselves.
  let nextUpdateId = 1_000_000_000_000;
  const context = (id: string) => ({
    messageId: id,
    receiveCount: 1,
    correlationId: id,
    attributes: {},
    logger,
    signal: new AbortController().signal,
    progress: () => {},
  });

  let counter = 0;
  const handlers: Record<string, (input: Buffer) => Promise<Verdict>> = {
    async sms(input) {
      const path = join(spool.incoming, `GSM1.fuzz${++counter}`);
      await writeFile(path, input);
      const outcome = await handleIncomingFile(sms, path);
      if (counter % 50 === 0) await sweepParts(sms, 0);
      return outcome.outcome === "quarantined" ? "quarantined" : "answered";
    },
    async mime(input) {
      const tag = `fuzz${++counter}`;
      const raw = input
        .toString("latin1")
        .replaceAll("FROM_ADDRESS", DEMO_USERS.abattoir_reporter.email)
        .replaceAll("TO_ADDRESS", INGEST_ADDRESS)
        .replaceAll("MSGTAG", tag);
      const outcome = await receivePipedMail(
        ingest,
        Readable.from([Buffer.from(raw, "latin1")]),
        INGEST_ADDRESS,
      );
      if (outcome.exitCode !== 0 || !outcome.result) throw new Error(`exit ${outcome.exitCode}`);
      return outcome.result.kind === "ignored" ? "quarantined" : "answered";
    },
    async workbooks(input) {
      const message = await stageMessage(buckets, input, { from: DEMO_USERS.paravet.email });
      const outcome = await upload(message, context(message.messageId));
      if (outcome.kind === "retryLater") throw new Error("retryLater on a first delivery");
      return outcome.kind === "deadLetter" ? "quarantined" : "answered";
    },
    async reports(input) {
      let value: unknown;
      try {
        value = JSON.parse(input.toString("utf8"));
      } catch {
        return "quarantined";
      }
      const parsed = messageCatalog.reportrequest.safeParse(value);
      if (!parsed.success) return "quarantined";
      const outcome = await report(parsed.data, context(`fuzz${++counter}`));
      if (outcome.kind === "retryLater") throw new Error("retryLater on a first delivery");
      return outcome.kind === "done" ? "answered" : "quarantined";
    },
    async im(input) {
      // What the webhook does with a body: JSON that is no update is dropped (quarantined).
      let body: unknown;
      try {
        body = JSON.parse(input.toString("utf8"));
      } catch {
        return "quarantined";
      }
      // The corpus's placeholder takes a fresh id; a file about the update_id keeps its own.
      if (
        body !== null &&
        typeof body === "object" &&
        "update_id" in body &&
        body.update_id === "__UPDATE_ID__"
      )
        body.update_id = nextUpdateId++;
      if (!isUpdate(body)) return "quarantined";
      const updateId = body.update_id;
      await storeUpdates(db, BOT_ID, [body]);
      await imQueue.drain();
      const { rows } = await db.query<{ status: string; reason: string | null }>(
        "SELECT status, reason FROM im_updates WHERE bot_id = $1 AND update_id = $2",
        [BOT_ID, updateId],
      );
      const row = rows[0];
      if (!row) throw new Error(`update ${updateId} was not stored`);
      if (row.status === "handled") return "answered";
      if (row.status === "ignored" && row.reason) return "quarantined";
      // Left 'received' (the handler failed on it) or ignored without saying why.
      throw new Error(`update ${updateId} left ${row.status}${row.reason ? "" : " without a reason"}`);
    },
  };

  const rng = random(seed);
  const results = new Map<string, Tally>();
  const deadline = (share: number) => Date.now() + (seconds * 1000) / share;
  for (const corpus of CORPORA.filter((candidate) => channels.includes(candidate.channel))) {
    const handle = handlers[corpus.channel]!;
    const files = (await corpus.files()).map((file) => file.content);
    // The grammar's own generator adds texts no corpus file has.
    const extra =
      corpus.channel === "sms"
        ? fc
            .sample(fc.string({ unit: "binary", maxLength: 200 }), { seed, numRuns: 500 })
            .map((text) => smsFile({ from: REGISTERED, alphabet: "UTF-8", body: Buffer.from(text, "utf8") }))
        : [];
    const pool = [...files, ...extra];
    const tally: Tally = { tried: 0, answered: 0, quarantined: 0, crashes: 0 };
    results.set(corpus.channel, tally);
    const until = deadline(channels.length);
    while (Date.now() < until) {
      const base = pick(rng, pool);
      const input = rng() < 0.2 ? base : mutate(rng, base, pick(rng, pool));
      tally.tried += 1;
      try {
        tally[await withTimeout(handle(input))] += 1;
      } catch (error) {
        tally.crashes += 1;
        const dir = join(crashDir, corpus.channel);
        await mkdir(dir, { recursive: true });
        const file = join(dir, `seed${seed}-${tally.tried}`);
        await writeFile(file, input);
        console.log(`  crash in ${corpus.channel}: ${String(error).slice(0, 200)} (input kept in ${file})`);
      }
    }
  }

  console.log("channel     tried  answered  quarantined  crashes");
  let crashes = 0;
  for (const [channel, tally] of results) {
    crashes += tally.crashes;
    console.log(
      `${channel.padEnd(10)} ${String(tally.tried).padStart(6)} ${String(tally.answered).padStart(9)} ${String(tally.quarantined).padStart(12)} ${String(tally.crashes).padStart(8)}`,
    );
  }
  await db.close();
  await telegram.close();
  await emulators.stop();
  await seeded.stop();
  await rm(work, { recursive: true, force: true });
  process.exit(crashes > 0 ? 1 : 0);
}

await main();
