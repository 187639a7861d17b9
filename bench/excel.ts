// Excel import throughput: vaccination-tally workbooks of 10,000 and 100,000 rows go from
// the queuefiles bucket through the excel-processor's handler (guard, streaming read,
// validation, COPY to staging, database checks, import, answer) into committed rows.
// Printed: rows per second, the importing process's peak RSS, and, on the same server,
// the rate of a plain PostgreSQL COPY of the same rows as CSV into the same table (the
// floor of what the database can take).
// Each size runs in a child process so its RSS is the import's own; PostgreSQL and the
// emulators run in this process. The child first imports ten small workbooks of other
// rows (500 each), as a running excel-processor has: what is measured is one upload's own
// cost, not the process's first-use costs (opening connections, loading code lists, and
// V8 optimising the reader's per-row code: after a single 200-row workbook a 10,000-row
// upload still spent about 0.25 s more CPU in Node than after these).
// Run: npm run bench:excel [-- --rows 10000,100000]
import { fork } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { EmailInput } from "@isikhnas/contracts";
import { startEmulators } from "@isikhnas/devstack";
import { DEMO_USERS } from "@isikhnas/domain";
import {
  createBuckets,
  createDatabase,
  createLogger,
  createProducer,
  createS3Client,
  createSqsClient,
  type HandlerContext,
  provisionResources,
} from "@isikhnas/platform";
import { DEFAULT_LIMITS } from "@isikhnas/workbooks";
import ExcelJS from "exceljs";
import { from as copyFrom } from "pg-copy-streams";
import { CodeListCache } from "../apps/excel-processor/src/code-lists.js";
import { createUploadHandler } from "../apps/excel-processor/src/upload-handler.js";
import { against, type BenchFigure, figure, recordFigures } from "./figures.js";
import { startSeededDatabase } from "./stack.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "10000,100000" },
    /** Internal: set on the child that imports one workbook. */
    child: { type: "string" },
  },
});

interface ChildInput {
  rows: number;
  databaseUrl: string;
  awsEndpoint: string;
  prefix: string;
}

interface Figures {
  rows: number;
  fileMiB: number;
  importSeconds: number;
  outcome: string;
  baselineRssMiB: number;
  peakRssMiB: number;
  copySeconds: number;
}

const MiB = 1024 * 1024;
const WARM_UP_WORKBOOKS = 10;
const WARM_UP_ROWS = 500;
const VILLAGES = ["72060201", "72060202", "72060203"];
const SPECIES = ["SP", "KB", "DB", "KR", "BB", "AY", "IT"];

/** Row `index` of the benchmark: unique program, date, village and species. */
function row(
  index: number,
  vaccinator = "Vaksinator",
): [string, Date, string, string, number, number, string] {
  const day = new Date(
    Date.UTC(2020, 0, 1) + Math.floor(index / (VILLAGES.length * SPECIES.length)) * 86_400_000,
  );
  return [
    "101",
    day,
    VILLAGES[index % VILLAGES.length] as string,
    SPECIES[Math.floor(index / VILLAGES.length) % SPECIES.length] as string,
    10 + (index % 13),
    index % 4,
    `${vaccinator} ${index % 50}`,
  ];
}

/** Written with exceljs's streaming writer (shared strings, as Excel does), never whole in memory. */
async function writeWorkbook(path: string, rows: number, vaccinator?: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: true,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet("Vaksinasi");
  sheet.columns = [
    { header: "Program", key: "program" },
    { header: "Tanggal", key: "date", style: { numFmt: "yyyy-mm-dd" } },
    { header: "Desa", key: "village" },
    { header: "Spesies", key: "species" },
    { header: "Primer", key: "primary" },
    { header: "Booster", key: "booster" },
    { header: "Vaksinator", key: "vaccinator" },
  ];
  for (let index = 0; index < rows; index++) sheet.addRow(row(index, vaccinator)).commit();
  sheet.commit();
  const meta = workbook.addWorksheet("metadata", { state: "hidden" });
  meta.addRow(["template_id", "vaccination_tally"]).commit();
  meta.addRow(["version", 1]).commit();
  meta.commit();
  await workbook.commit();
}

async function importOnce(input: ChildInput): Promise<Figures> {
  const env = {
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SQS: input.awsEndpoint,
    AWS_ENDPOINT_URL_S3: input.awsEndpoint,
  };
  const sqs = createSqsClient(env);
  const s3 = createS3Client(env);
  const db = createDatabase(
    { DATABASE_URL: input.databaseUrl, DB_POOL_MAX: 4, DB_STATEMENT_TIMEOUT_MS: 600_000 },
    "bench-excel",
  );
  const buckets = createBuckets({ s3 }, { prefix: input.prefix });
  const dir = await mkdtemp(join(tmpdir(), "bench-excel-"));
  try {
    /** A workbook of `rows` rows put in the bucket, and the emailinput message naming it. */
    const upload = async (rows: number, vaccinator?: string) => {
      const path = join(dir, `tally-${rows}-${vaccinator ?? ""}.xlsx`);
      await writeWorkbook(path, rows, vaccinator);
      const file = await readFile(path);
      const sha256 = createHash("sha256").update(file).digest("hex");
      const key = `bench/${randomUUID()}.xlsx`;
      await buckets.queuefiles.put(key, file);
      const message: EmailInput = {
        type: "emailinput",
        version: 1,
        id: `<bench-${sha256}@demo>:${sha256}`,
        environment: "live",
        receivedAt: new Date().toISOString(),
        sender: { address: DEMO_USERS.paravet.email },
        recipient: "laporan@isikhnas.example.org",
        subject: "bench",
        messageId: `<bench-${sha256}@demo>`,
        references: [],
        attachment: {
          bucket: "queuefiles",
          key,
          filename: "tally.xlsx",
          contentType: "application/octet-stream",
          size: file.length,
          sha256,
        },
        rawMail: { bucket: "rawmail", key: "raw/bench" },
      };
      return { file, sha256, message };
    };
    const { file, sha256, message } = await upload(input.rows);
    const warmUps = [];
    for (let index = 0; index < WARM_UP_WORKBOOKS; index++) {
      warmUps.push(await upload(WARM_UP_ROWS, `Pemanasan ${index}`));
    }
    const handler = createUploadHandler({
      databases: { live: db },
      buckets,
      producer: createProducer({ sqs }, { prefix: input.prefix }),
      codeLists: new CodeListCache(),
      settings: {
        systemTag: "[iSIKHNAS]",
        limits: DEFAULT_LIMITS,
        errorWorkbookMaxRows: 20_000,
        statementTimeoutMs: 600_000,
      },
    });
    const context: HandlerContext = {
      messageId: "bench",
      receiveCount: 1,
      correlationId: "bench",
      attributes: {},
      logger: createLogger({ name: "bench-excel", level: process.env.BENCH_LOG_LEVEL ?? "silent" }),
      signal: new AbortController().signal,
      progress: () => {},
    };
    for (const warmUp of warmUps) {
      const warmed = await handler(warmUp.message, context);
      if (warmed.kind !== "done") throw new Error(`warm-up upload not imported: ${JSON.stringify(warmed)}`);
    }
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const started = performance.now();

    const result = await handler(message, context);

    const importSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const imported = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM vaccination_reports v JOIN uploads u ON u.id = v.upload_id WHERE u.content_sha256 = $1",
      [sha256],
    );
    const outcome = `${result.kind}, ${imported.rows[0]?.n ?? 0} rows committed`;

    // The floor: the same rows, ids already resolved, as CSV straight into the table.
    const ids = await db.query<{ program: string; reporter: string; villages: Record<string, string> }>(
      `SELECT (SELECT id FROM programs WHERE code = '101') AS program,
              (SELECT user_id FROM contacts WHERE channel = 'email' AND address = $1) AS reporter,
              (SELECT jsonb_object_agg(code, id) FROM locations WHERE code = ANY($2)) AS villages`,
      [DEMO_USERS.paravet.email, VILLAGES],
    );
    const { program, reporter, villages } = ids.rows[0] as {
      program: string;
      reporter: string;
      villages: Record<string, string>;
    };
    const client = await db.primary.connect();
    let copySeconds: number;
    try {
      const csv = Readable.from(
        (function* () {
          let chunk = "";
          for (let index = 0; index < input.rows; index++) {
            const [, day, village, species, primary, booster, vaccinator] = row(index);
            chunk += `${program},${villages[village]},${day.toISOString().slice(0, 10)},${species},${primary},${booster},${vaccinator},${reporter}\n`;
            if (chunk.length > 64 * 1024) {
              yield chunk;
              chunk = "";
            }
          }
          if (chunk) yield chunk;
        })(),
      );

      const copyStarted = performance.now();
      await client.query("BEGIN");
      await pipeline(
        csv,
        client.query(
          copyFrom(
            "COPY vaccination_reports (program_id, location_id, vaccinated_on, species_code, primary_count, booster_count, vaccinator, reporter_id) FROM STDIN (FORMAT csv)",
          ),
        ),
      );
      await client.query("COMMIT");
      copySeconds = (performance.now() - copyStarted) / 1000;
    } finally {
      client.release();
    }
    return {
      rows: input.rows,
      fileMiB: file.length / MiB,
      importSeconds,
      outcome,
      baselineRssMiB: baseline / MiB,
      peakRssMiB: peak / MiB,
      copySeconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.close();
    sqs.destroy();
    s3.destroy();
  }
}

if (args.child) {
  const figures = await importOnce(JSON.parse(args.child) as ChildInput);
  // Letting go of the IPC channel lets the child exit once its figures are delivered.
  process.send?.(figures, () => process.disconnect());
} else {
  const seeded = await startSeededDatabase("bench_excel", process.env.DATABASE_URL);
  const emulators = await startEmulators();
  try {
    const { databaseUrl } = seeded;
    const prefix = "bench-excel-";
    const sqs = createSqsClient({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SQS: emulators.awsEndpoint });
    const s3 = createS3Client({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: emulators.awsEndpoint });
    await provisionResources({ sqs, s3, prefix });

    console.log("excel import: vaccination tally, bucket → committed rows (one transaction), 2 cores shared");
    console.log(
      "rows      file MiB  import s  rows/s    peak RSS MiB (+over start)  COPY rows/s  import/COPY  outcome",
    );
    const recorded: BenchFigure[] = [];
    for (const rows of (args.rows ?? "").split(",").map(Number)) {
      const input: ChildInput = { rows, databaseUrl, awsEndpoint: emulators.awsEndpoint, prefix };
      const child = fork(fileURLToPath(import.meta.url), ["--child", JSON.stringify(input)], {
        execArgv: [...process.execArgv, "--expose-gc"],
      });
      const figures = await new Promise<Figures>((resolve, reject) => {
        child.once("message", (message) => resolve(message as Figures));
        child.once("error", reject);
        child.once("exit", (code) => reject(new Error(`import process exited with ${code}`)));
      });
      const rate = figures.rows / figures.importSeconds;
      const copyRate = figures.rows / figures.copySeconds;
      console.log(
        [
          String(rows).padEnd(9),
          figures.fileMiB.toFixed(1).padEnd(9),
          figures.importSeconds.toFixed(2).padEnd(9),
          Math.round(rate).toString().padEnd(9),
          `${figures.peakRssMiB.toFixed(0)} (+${(figures.peakRssMiB - figures.baselineRssMiB).toFixed(0)})`.padEnd(
            27,
          ),
          Math.round(copyRate).toString().padEnd(12),
          `${((rate / copyRate) * 100).toFixed(0)}%`.padEnd(12),
          figures.outcome,
        ].join(" "),
      );
      recorded.push(
        against(`excel.import.${rows}`, rate, "rows/s", "COPY of the same rows", copyRate),
        figure(`excel.import.${rows}.rssGrowth`, figures.peakRssMiB - figures.baselineRssMiB, "MiB"),
      );
    }
    recordFigures(recorded);
    sqs.destroy();
    s3.destroy();
  } finally {
    await emulators.stop();
    await seeded.stop();
  }
}
