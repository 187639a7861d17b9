// Builds one run's files for each language its recipients read, straight into the
// reports bucket under a key that names the run, so a rebuild overwrites rather than adds.
import { PassThrough } from "node:stream";
import type { Environment } from "@isikhnas/contracts";
import { isTimeZone, type ReportDefinition, type ReportRun, type RunArtefact } from "@isikhnas/domain";
import type { Bucket, Database } from "@isikhnas/platform";
import { assembleReport, openReportSource, type ReportSink, renderReport } from "@isikhnas/reporting/build";
import type { Recipient } from "./recipients.js";

export function runKeyPrefix(environment: Environment, run: ReportRun): string {
  return `report/${environment}/${run.reportCode}/${run.period}/${run.scope || "national"}/g${run.generation}`;
}

export function bucketSink(bucket: Bucket, prefix: string): ReportSink {
  return {
    async write(name, contentType, produce) {
      const body = new PassThrough();
      const key = `${prefix}/${name}`;
      const stored = bucket.put(key, body, { contentType });
      try {
        await produce(body);
        body.end();
      } catch (error) {
        body.destroy(error instanceof Error ? error : new Error(String(error)));
        await stored.catch(() => {});
        throw error;
      }
      const { size } = await stored;
      return { key, size };
    },
  };
}

export interface BuildSettings {
  environment: Environment;
  systemTag: string;
  now: Date;
}

/** The run's files per language group; each group's texts are stored beside its files. */
export async function buildArtefacts(
  db: Database,
  bucket: Bucket,
  definition: ReportDefinition,
  run: ReportRun,
  groups: ReadonlyMap<"id" | "en", Recipient[]>,
  settings: BuildSettings,
): Promise<RunArtefact[]> {
  const timeZone = isTimeZone(run.timeZone) ? run.timeZone : "Asia/Jakarta";
  const artefacts: RunArtefact[] = [];
  for (const [language, recipients] of groups) {
    const source = await openReportSource(db);
    try {
      const assembled = await assembleReport(source, definition, {
        language,
        scope: run.scope,
        timeZone,
        period: { key: run.period, start: run.periodStart, end: run.periodEnd },
        parameters: run.parameters,
        generatedAt: settings.now,
        systemTag: settings.systemTag,
      });
      const stem = fileStem(definition, run, language);
      const prefix = `${runKeyPrefix(settings.environment, run)}/${language}`;
      const rendered = await renderReport(assembled, definition, bucketSink(bucket, prefix), stem);
      artefacts.push({
        language,
        recipients: recipients.map((recipient) => recipient.address),
        ...(rendered.pdf ? { pdf: { key: rendered.pdf.key, size: rendered.pdf.size } } : {}),
        ...(rendered.excel ? { excel: { key: rendered.excel.key, size: rendered.excel.size } } : {}),
        charts: rendered.charts.map((chart) => ({ key: chart.key, cid: chart.cid, title: chart.title })),
        body: { key: rendered.body.key },
        subject: assembled.subject,
      });
    } finally {
      await source.close();
    }
  }
  return artefacts;
}

/** "ringkasan-kasus-kabupaten-7206-2026-11": readable, and safe in any mail client. */
function fileStem(definition: ReportDefinition, run: ReportRun, language: "id" | "en"): string {
  return [definition.title[language], run.scope, run.period.startsWith("ad-hoc") ? "" : run.period]
    .filter(Boolean)
    .join("-")
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
