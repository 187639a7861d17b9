// `isikhnas report …`: the report definitions, recent runs, and asking for a run (a
// deliberate re-run is the next generation, recorded with its reason).
import { join } from "node:path";
import {
  findReport,
  findRun,
  forceRun,
  listRuns,
  parsePeriod,
  placeTimeZone,
  REPORT_DEFINITIONS,
} from "@isikhnas/domain";
import { createProducer, createSqsClient } from "@isikhnas/platform";
import { type Command, InvalidArgumentError } from "commander";
import { loadAwsConfig, withDatabase } from "./config.js";
import { previewReport } from "./report-preview.js";

interface Io {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
}

export function addReportCommands(program: Command, io: Io): void {
  const report = program.command("report").description("scheduled and on-demand reports");

  report
    .command("list")
    .description("every report: code, schedule, scope and what it is for")
    .action(() => {
      for (const definition of Object.values(REPORT_DEFINITIONS)) {
        const schedule = definition.schedule
          ? `${definition.schedule.cadence}ly, +${definition.schedule.delayHours} h local`
          : "ad hoc";
        io.out(
          `${definition.code}  [${schedule}; per ${definition.scope}]  ${definition.title.en}: ${definition.description.en}`,
        );
      }
    });

  report
    .command("runs")
    .description("recent report runs and their state")
    .option("--report <code>", "only this report")
    .option("--limit <n>", "at most this many", "50")
    .option("--json", "as JSON")
    .action(async (options: { report?: string; limit: string; json?: boolean }) => {
      await withDatabase(io.env, async (db) => {
        const runs = await listRuns(db, {
          limit: Number.parseInt(options.limit, 10) || 50,
          ...(options.report ? { report: options.report } : {}),
        });
        if (options.json) {
          io.out(JSON.stringify(runs, null, 2));
          return;
        }
        if (runs.length === 0) io.out("no report runs");
        for (const run of runs) {
          io.out(
            `${run.id}  ${run.reportCode} ${run.period} ${run.scope || "-"} g${run.generation}  ${run.status}  ` +
              `${run.origin}, ${run.attempts} attempt(s), ${run.recipientCount} recipient(s), created ${run.createdAt.toISOString()}` +
              `${run.sentAt ? `, sent ${run.sentAt.toISOString()}` : ""}` +
              `${run.errorReason ? `\n  ${run.errorReason}` : ""}${run.forcedReason ? `\n  re-run: ${run.forcedReason}` : ""}`,
          );
        }
      });
    });

  report
    .command("run <report>")
    .description("ask report-generator for a report of a period and scope (reportrequest)")
    .requiredOption("--period <period>", "2026-11 (month), 2026-W48 (week) or 2026-11-30 (day)")
    .requiredOption("--scope <code>", "a district or province code (a submission id for lab-client-report)")
    .option("--to <address...>", "send to these addresses instead of the report's recipients")
    .option("--force", "run again although the period was sent (the next generation)")
    .option("--reason <text>", "why it is run again (recorded; needed with --force)")
    .option(
      "--out <dir>",
      "build it here into this folder instead (PDF, workbook, charts, e-mail); nothing is sent",
    )
    .option("--language <id|en>", "the language of an --out preview", "id")
    .action(
      async (
        code: string,
        options: {
          period: string;
          scope: string;
          to?: string[];
          force?: boolean;
          reason?: string;
          out?: string;
          language: string;
        },
      ) => {
        const definition = findReport(code);
        if (!definition) {
          throw new InvalidArgumentError(
            `unknown report "${code}": expected one of ${Object.keys(REPORT_DEFINITIONS).join(", ")}`,
          );
        }
        const environment = io.env.ISIKHNAS_ENV === "training" ? "training" : "live";
        if (options.out !== undefined) {
          const out = options.out;
          const language = options.language;
          if (language !== "id" && language !== "en") {
            throw new InvalidArgumentError(`--language is id or en, not "${language}"`);
          }
          if (options.force || options.to)
            throw new InvalidArgumentError("--out sends nothing: drop --force and --to");
          await withDatabase(io.env, async (db) => {
            const preview = await previewReport(
              db,
              {
                definition,
                period: options.period,
                scope: options.scope,
                language,
                systemTag:
                  environment === "training"
                    ? (io.env.TRAINING_SYSTEM_TAG ?? "[iSIKHNAS TRAINING]")
                    : (io.env.SYSTEM_TAG ?? "[iSIKHNAS]"),
                now: new Date(),
              },
              out,
            );
            io.out(`${preview.subject}${preview.hasData ? "" : " (no data in this period)"}`);
            for (const file of preview.files) io.out(`  ${join(preview.folder, file)}`);
          });
          return;
        }
        await withDatabase(io.env, async (db) => {
          const existing = await findRun(db, definition.code, options.period, options.scope);
          let parameters: Record<string, string | number> = { scope: options.scope, period: options.period };
          if (existing && !options.force) {
            throw new Error(
              `${definition.code} ${options.period} ${options.scope} exists (run ${existing.id}, ${existing.status}` +
                `${existing.sentAt ? `, sent ${existing.sentAt.toISOString()}` : ""}); to run it again use --force --reason "…"`,
            );
          }
          if (options.force || options.to) {
            if (!options.force)
              throw new InvalidArgumentError("--to needs --force --reason: it is a run of its own");
            if (!options.reason) throw new InvalidArgumentError("--force needs --reason");
            const timeZone = (await placeTimeZone(db, options.scope)) ?? "Asia/Jakarta";
            const period = parsePeriod(options.period, timeZone);
            if (!period) throw new InvalidArgumentError(`"${options.period}" is not a period`);
            const run = await forceRun(db, {
              reportCode: definition.code,
              period: period.key,
              scope: options.scope,
              periodStart: period.start,
              periodEnd: period.end,
              timeZone,
              origin: "operator",
              recipients: options.to ?? [],
              reason: options.reason,
            });
            parameters = { run: run.id };
            io.out(
              `run ${run.id}: generation ${run.generation} of ${definition.code} ${run.period} ${run.scope}`,
            );
          }
          const aws = loadAwsConfig(io.env);
          const sqs = createSqsClient(aws);
          try {
            await createProducer({ sqs }, { prefix: aws.RESOURCE_PREFIX }).send("reportrequest", {
              type: "reportrequest",
              version: 1,
              id: `operator:${definition.code}:${options.period}:${options.scope}:${Date.now()}`,
              environment,
              report: definition.code,
              parameters,
              recipients: options.force ? [] : (options.to ?? []),
            });
          } finally {
            sqs.destroy();
          }
          io.out(`asked for ${definition.code} ${options.period} ${options.scope} (${environment})`);
        });
      },
    );
}
