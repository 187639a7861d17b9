// Report generation at national scale: 510 districts (34 provinces × 15) and 100,000 then
// 1,000,000 cases of November 2026 with their signs. For each size, in a child process of
// its own (so its peak RSS is the run's own), printed:
//   - the district case summary for every district, built as the daemon builds it (every
//     query, PDF, chart PNG, HTML body, streamed workbook; REPORT_CONCURRENCY runs at once,
//     as report-generator's consumer handles them, default 2) against the bare SQL time of
//     the same queries one after another (the sheets read to the end through the same cursor);
//   - rows per second of the Excel writer over one sheet of every case of the month;
//   - the child's peak RSS: it should not grow with the data.
// Run: npm run bench:reports [-- --sizes 100000,1000000] [--concurrency N or 1,2]
// Under `npm run bench` the figures go to its results as reports.district_summary (s against
// the bare SQL), reports.excel_writer (rows/s) and reports.peak_rss (MiB), one set per size and
// concurrency (suffixed with them when the run has more than one).
import { fork } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bindReportSql, DEMO_USERS, findReport, parsePeriod, type ReportDefinition } from "@isikhnas/domain";
import { createDatabase, type Database } from "@isikhnas/platform";
import { type Cell, writeWorkbook } from "@isikhnas/reporting";
import { assembleReport, openReportSource, type ReportSink, renderReport } from "@isikhnas/reporting/build";
import { against, figure, recordFigures } from "./figures.js";
import { startSeededDatabase } from "./stack.js";

const PROVINCES = Array.from({ length: 34 }, (_, index) => String(11 + index));
const DISTRICTS_PER_PROVINCE = 15;

async function seedPlaces(db: Database) {
  await db.query(
    `INSERT INTO locations (code, parent_code, name)
     SELECT p, NULL, 'Provinsi ' || p FROM unnest($1::text[]) AS p ON CONFLICT (code) DO NOTHING`,
    [PROVINCES],
  );
  await db.query(
    `INSERT INTO locations (code, parent_code, name)
     SELECT p || lpad(d::text, 2, '0'), p, 'Kabupaten ' || p || lpad(d::text, 2, '0')
     FROM unnest($1::text[]) AS p, generate_series(1, $2::int) AS d ON CONFLICT (code) DO NOTHING`,
    [PROVINCES, DISTRICTS_PER_PROVINCE],
  );
  for (const level of [3, 4]) {
    await db.query(
      `INSERT INTO locations (code, parent_code, name)
       SELECT l.code || lpad(n::text, 2, '0'), l.code, l.name || '-' || n
       FROM locations l, generate_series(1, 2) AS n WHERE l.level = $1 AND left(l.code, 2) = ANY($2::text[])
       ON CONFLICT (code) DO NOTHING`,
      [level - 1, PROVINCES],
    );
  }
  // A coordinator for every district, so every run has a recipient.
  await db.query(
    `INSERT INTO user_areas (user_id, location_id)
     SELECT c.user_id, l.id FROM contacts c, locations l
     WHERE c.channel = 'sms' AND c.address = $1 AND l.level = 1 AND l.code = ANY($2::text[])
     ON CONFLICT DO NOTHING`,
    [DEMO_USERS.provincial_coordinator.phone, PROVINCES],
  );
}

/** Tops the month up to `size` cases at real proportions: 1 in 20 priority, one or two signs each. */
async function seedCases(db: Database, size: number) {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases");
  const have = rows[0]?.n ?? 0;
  if (have >= size) return;
  await db.query(
    `WITH villages AS (
       SELECT id, row_number() OVER (ORDER BY code) - 1 AS n, count(*) OVER () AS total
       FROM locations WHERE level = 4 AND left(code, 2) = ANY($3::text[])
     ), reporter AS (SELECT user_id FROM contacts WHERE channel = 'sms' AND address = $4)
     INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, syndrome_code, outcome_code, reported_at)
     SELECT CASE WHEN i % 20 = 0 THEN 'P' ELSE 'U' END, (SELECT user_id FROM reporter), v.id,
       (ARRAY['SP','KB','AY','DB','BB'])[1 + i % 5], 1 + i % 9,
       CASE WHEN i % 20 = 0 THEN 'AI' END, (ARRAY[NULL,'SB','MS','MT'])[1 + i % 4],
       timestamptz '2026-11-01 00:00+07' + (i % 2592000) * interval '1 second'
     FROM generate_series($1::int, $2::int - 1) AS i
     JOIN villages v ON v.n = i % v.total`,
    [have, size, PROVINCES, DEMO_USERS.village_reporter.phone],
  );
  await db.query(
    `INSERT INTO case_signs (case_id, sign_code)
     SELECT id, (ARRAY['DM','MC','BT','LM','PC'])[1 + id % 5] FROM cases c
     WHERE kind = 'U' AND NOT EXISTS (SELECT 1 FROM case_signs s WHERE s.case_id = c.id)
     UNION ALL
     SELECT id, 'NM' FROM cases c
     WHERE kind = 'U' AND id % 3 = 0 AND NOT EXISTS (SELECT 1 FROM case_signs s WHERE s.case_id = c.id)`,
  );
  await db.query("ANALYZE");
}

/** Counts what it is given and keeps none of it. */
function discard(): { sink: ReportSink; bytes: () => number } {
  let total = 0;
  return {
    bytes: () => total,
    sink: {
      async write(name, _type, produce) {
        let size = 0;
        const out = new Writable({
          write(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            done();
          },
        });
        await produce(out);
        if (!out.writableFinished) await new Promise((resolve) => out.once("finish", resolve));
        total += size;
        return { key: name, size };
      },
    },
  };
}

/** report-generator's default REPORT_CONCURRENCY: reports its consumer builds at once. */
const DAEMON_CONCURRENCY = 2;

async function child(databaseUrl: string, concurrency: number) {
  const db = createDatabase({
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: Math.max(4, concurrency),
    DB_STATEMENT_TIMEOUT_MS: 600_000,
  });
  // rss() alone: memoryUsage() gathers V8's heap statistics as well, which a profile of
  // this run put at 0.75 ms of the main thread a district at this sampling rate.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 25);
  const definition = findReport("district-case-summary") as ReportDefinition;
  const { rows: districts } = await db.query<{ code: string; time_zone: "Asia/Jakarta" }>(
    "SELECT code, time_zone FROM locations WHERE level = 2 AND left(code, 2) = ANY($1::text[]) ORDER BY code",
    [PROVINCES],
  );
  const contextOf = (district: { code: string; time_zone: "Asia/Jakarta" }) => {
    const period = parsePeriod("2026-11", district.time_zone);
    if (!period) throw new Error("bad period");
    return {
      period,
      bindings: {
        start: period.start,
        end: period.end,
        scope: district.code,
        language: "id" as const,
        timeZone: district.time_zone,
      },
    };
  };

  // The bare SQL: every query of the report, the sheet read through the cursor to its end.
  let sheetRows = 0;
  const bareStart = performance.now();
  for (const district of districts) {
    const { bindings } = contextOf(district);
    const source = await openReportSource(db);
    try {
      for (const sql of [definition.dataCount, definition.scopeName, ...Object.values(definition.queries)]) {
        const bound = bindReportSql(sql, bindings);
        await source.query(bound.text, bound.values);
      }
      for (const sheet of definition.dataSheets) {
        const bound = bindReportSql(sheet.query, bindings);
        for await (const _ of source.stream(bound.text, bound.values)) sheetRows += 1;
      }
    } finally {
      await source.close();
    }
  }
  const bareMs = performance.now() - bareStart;

  // The reports as the daemon builds them: as many at once as its consumer handles.
  const output = discard();
  const buildStart = performance.now();
  const buildCpu = process.cpuUsage();
  let next = 0;
  const builder = async () => {
    for (let district = districts[next++]; district; district = districts[next++]) {
      const { period } = contextOf(district);
      const source = await openReportSource(db);
      try {
        const assembled = await assembleReport(source, definition, {
          language: "id",
          scope: district.code,
          timeZone: district.time_zone,
          period: { key: period.key, start: period.start, end: period.end },
          generatedAt: new Date(),
          systemTag: "[iSIKHNAS]",
        });
        await renderReport(assembled, definition, output.sink, `summary-${district.code}`);
      } finally {
        await source.close();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, builder));
  const buildMs = performance.now() - buildStart;
  const { user, system } = process.cpuUsage(buildCpu);
  const buildCpuMs = (user + system) / 1000;

  // The Excel writer alone: every case of the month in one sheet, from a cursor.
  const source = await openReportSource(db);
  let excelRows = 0;
  const excelStart = performance.now();
  try {
    const rows = (async function* () {
      for await (const row of source.stream(
        `SELECT c.id, c.reported_at::date AS day, c.kind, l.code, c.species_code, c.animal_count, c.outcome_code
         FROM cases c JOIN locations l ON l.id = c.location_id ORDER BY c.id`,
        [],
      )) {
        yield [
          row.id,
          String(row.day),
          row.kind,
          row.code,
          row.species_code,
          row.animal_count,
          row.outcome_code,
        ] as Cell[];
      }
    })();
    const sink = discard();
    await sink.sink.write("all.xlsx", "", async (out) => {
      excelRows = (
        await writeWorkbook(out, {
          language: "id",
          title: "bench",
          sheets: [
            {
              name: "Kasus",
              columns: ["ID", "Tanggal", "Jenis", "Desa", "Spesies", "Jumlah", "Hasil"].map((label) => ({
                label,
              })),
              rows,
            },
          ],
        })
      ).rows;
    });
  } finally {
    await source.close();
  }
  const excelMs = performance.now() - excelStart;
  clearInterval(sampler);
  await db.close();
  process.send?.({
    concurrency,
    districts: districts.length,
    sheetRows,
    bareMs,
    buildMs,
    buildCpuMs,
    outputBytes: output.bytes(),
    excelRows,
    excelMs,
    peakRss: Math.max(peakRss, process.memoryUsage.rss()),
  });
}

interface ChildResult {
  concurrency: number;
  districts: number;
  sheetRows: number;
  bareMs: number;
  buildMs: number;
  buildCpuMs: number;
  outputBytes: number;
  excelRows: number;
  excelMs: number;
  peakRss: number;
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "100000,1000000" },
      concurrency: { type: "string", default: process.env.REPORT_CONCURRENCY || String(DAEMON_CONCURRENCY) },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  // A list ("1,2") builds each size once per value, for a comparison within one run.
  const concurrencies = values.concurrency.split(",").map(Number);
  if (!concurrencies.every((n) => Number.isInteger(n) && n >= 1))
    throw new Error("--concurrency takes positive integers");
  const bench = await startSeededDatabase("bench_reports", process.env.DATABASE_URL);
  const db = createDatabase({
    DATABASE_URL: bench.databaseUrl,
    DB_POOL_MAX: 2,
    DB_STATEMENT_TIMEOUT_MS: 1_800_000,
  });
  try {
    await seedPlaces(db);
    for (const size of sizes) {
      const seeding = performance.now();
      await seedCases(db, size);
      console.log(
        `${size.toLocaleString("en")} cases seeded (${((performance.now() - seeding) / 1000).toFixed(0)} s)`,
      );
      for (const concurrency of concurrencies) {
        const result = await new Promise<ChildResult>((resolve, reject) => {
          const worker = fork(
            fileURLToPath(import.meta.url),
            ["--child", bench.databaseUrl, String(concurrency)],
            {
              execArgv: ["--conditions=source", "--import", "tsx"],
            },
          );
          worker.once("message", (message) => {
            resolve(message as ChildResult);
            // The child has nothing more to say, and its end of the channel would keep it
            // (and so this process) alive.
            worker.disconnect();
          });
          worker.once("error", reject);
          worker.once("exit", (code) => code !== 0 && reject(new Error(`child exited ${code}`)));
        });
        const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
        console.log(
          `  district case summary, ${result.districts} districts, ${result.concurrency} at once: ` +
            `${(result.buildMs / 1000).toFixed(1)} s built ` +
            `(${mib(result.outputBytes)} of PDF, PNG, XLSX, HTML) vs ${(result.bareMs / 1000).toFixed(1)} s bare SQL ` +
            `(${result.sheetRows.toLocaleString("en")} sheet rows) = ${(result.buildMs / result.bareMs).toFixed(2)}×`,
        );
        console.log(
          `  CPU of the generating process while building (every thread): ${(result.buildCpuMs / 1000).toFixed(1)} s, ` +
            `${(result.buildCpuMs / result.districts).toFixed(0)} ms a district`,
        );
        console.log(
          `  Excel writer: ${result.excelRows.toLocaleString("en")} rows in ${(result.excelMs / 1000).toFixed(1)} s = ` +
            `${Math.round(result.excelRows / (result.excelMs / 1000)).toLocaleString("en")} rows/s`,
        );
        console.log(`  peak RSS of the generating process: ${mib(result.peakRss)}`);
        const suffix =
          sizes.length * concurrencies.length > 1
            ? `.${size}${concurrencies.length > 1 ? `.x${concurrency}` : ""}`
            : "";
        recordFigures([
          against(
            `reports.district_summary${suffix}`,
            result.buildMs / 1000,
            "s",
            "bare SQL",
            result.bareMs / 1000,
          ),
          figure(`reports.district_cpu${suffix}`, result.buildCpuMs / result.districts, "ms"),
          figure(`reports.excel_writer${suffix}`, result.excelRows / (result.excelMs / 1000), "rows/s"),
          figure(`reports.peak_rss${suffix}`, result.peakRss / 1024 / 1024, "MiB"),
        ]);
      }
    }
  } finally {
    await db.close();
    await bench.stop();
  }
}

if (process.argv[2] === "--child") await child(process.argv[3] as string, Number(process.argv[4]));
else await main();
