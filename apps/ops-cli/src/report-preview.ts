// `isikhnas report run … --out dir`: builds a report on this host into a folder, exactly
// as report-generator would (same definition, same replica snapshot reads, same renderers),
// without recording a run, storing files in the bucket or sending mail. For a preview
// before a deployment, or to look at a period again without mailing anyone.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parsePeriod, placeTimeZone, type ReportDefinition, submissionTimeZone } from "@isikhnas/domain";
import type { Database } from "@isikhnas/platform";
import { assembleReport, folderSink, openReportSource, renderReport } from "@isikhnas/reporting/build";

export interface PreviewRequest {
  definition: ReportDefinition;
  /** A period key (2026-11, 2026-W48, 2026-11-30); ignored for per-submission reports. */
  period: string;
  /** A place code, or the submission id of a per-submission report. */
  scope: string;
  language: "id" | "en";
  systemTag: string;
  now: Date;
}

export interface PreviewFiles {
  folder: string;
  subject: string;
  hasData: boolean;
  files: string[];
}

export class PreviewRefused extends Error {
  override name = "PreviewRefused";
}

export async function previewReport(
  db: Database,
  request: PreviewRequest,
  out: string,
): Promise<PreviewFiles> {
  const { definition } = request;
  const perSubmission = definition.scope === "submission";
  if (perSubmission && !/^\d+$/.test(request.scope)) {
    throw new PreviewRefused(`"${request.scope}" is not a submission id`);
  }
  const timeZone = perSubmission
    ? await submissionTimeZone(db.replica, request.scope)
    : await placeTimeZone(db.replica, request.scope);
  if (!timeZone) {
    throw new PreviewRefused(
      perSubmission ? `no lab submission ${request.scope}` : `no location ${request.scope}`,
    );
  }
  const period = perSubmission
    ? { key: "ad-hoc", start: null, end: null }
    : parsePeriod(request.period, timeZone);
  if (!period)
    throw new PreviewRefused(`"${request.period}" is not a period (2026-11, 2026-W48 or 2026-11-30)`);

  const folder = resolve(out);
  await mkdir(folder, { recursive: true });
  const source = await openReportSource(db);
  try {
    const assembled = await assembleReport(source, definition, {
      language: request.language,
      scope: request.scope,
      timeZone,
      period: { key: period.key, start: period.start, end: period.end },
      ...(perSubmission ? { parameters: { submissionId: request.scope } } : {}),
      generatedAt: request.now,
      systemTag: request.systemTag,
    });
    const stem = `${definition.code}-${request.scope}${perSubmission ? "" : `-${period.key}`}-${request.language}`;
    const rendered = await renderReport(assembled, definition, folderSink(folder), stem);
    // The mail as a browser can show it: the cid: references point at the PNGs beside it.
    let html = rendered.html;
    for (const chart of rendered.charts) html = html.replaceAll(`cid:${chart.cid}`, chart.filename);
    await writeFile(join(folder, "email.html"), html);
    await writeFile(join(folder, "email.txt"), `Subject: ${assembled.subject}\n\n${rendered.text}`);
    const files = [
      ...(rendered.pdf ? [rendered.pdf.filename] : []),
      ...(rendered.excel ? [rendered.excel.filename] : []),
      ...rendered.charts.map((chart) => chart.filename),
      "email.html",
      "email.txt",
    ];
    return { folder, subject: assembled.subject, hasData: assembled.hasData, files };
  } finally {
    await source.close();
  }
}
