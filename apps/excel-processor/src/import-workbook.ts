// One workbook through one transaction: the upload is claimed, the rows are read,
// checked and staged, then either imported (all of them) or rolled back to the claim and
// recorded as rejected with an error workbook. The answer is stored with the outcome.
import type { EmailInput } from "@isikhnas/contracts";
import { sheetNameMatches, type TemplateDefinition, type User, userMayUpload } from "@isikhnas/domain";
import type { Bucket, Transaction } from "@isikhnas/platform";
import {
  type CellError,
  type CodeLists,
  type Language,
  TemplateRowReader,
  type WorkbookLimits,
  writeErrorWorkbook,
} from "@isikhnas/workbooks";
import { answerEmail, labClientReportRequest, uploadAnswerId } from "./answers.js";
import { type Importer, importerFor } from "./importers/index.js";
import { replies } from "./replies.js";
import { checkStagedRows, createStagingTables, RowStager, stagingTable } from "./staging.js";
import { claimUpload, type Outbox, recordOutcome } from "./uploads.js";

export class NotPermitted extends Error {
  constructor(readonly template: TemplateDefinition) {
    super(`not permitted to upload ${template.id}`);
    this.name = "NotPermitted";
  }
}

/** Another delivery holds (or committed) this user's upload of the same file. */
export class AlreadyClaimed extends Error {
  constructor() {
    super("the file is already claimed by another upload of the same user");
    this.name = "AlreadyClaimed";
  }
}

export interface ImportSettings {
  systemTag: string;
  /** The tag of answers to training uploads (default `[iSIKHNAS TRAINING]`), so no trainee takes them for live. */
  trainingSystemTag?: string | undefined;
  limits: WorkbookLimits;
  errorWorkbookMaxRows: number;
  statementTimeoutMs: number;
}

/** The subject tag of an answer to a message of this environment. */
export function systemTagFor(settings: ImportSettings, environment: "live" | "training"): string {
  return environment === "training"
    ? (settings.trainingSystemTag ?? "[iSIKHNAS TRAINING]")
    : settings.systemTag;
}

export interface ImportRequest {
  message: EmailInput;
  sender: User;
  path: string;
  codeLists: CodeLists;
  attachments: Bucket;
  settings: ImportSettings;
}

export interface ImportOutcome {
  uploadId: number;
  status: "imported" | "rejected";
  rows: number;
  errors: number;
  outbox: Outbox;
  /** Milliseconds spent reading and staging, checking against the database, and importing. */
  timings: { readMs: number; checkMs: number; importMs: number };
}

/**
 * Rows per COPY; two chunks at most are held in memory. Small enough that a workbook of a
 * few thousand rows is read while its first chunks are written (the reading is Node's
 * work, the writing PostgreSQL's: on two cores they overlap), large enough that the two
 * statements a chunk costs stay a small share of its time.
 */
const STAGING_CHUNK_ROWS = 2_000;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export async function importWorkbook(tx: Transaction, request: ImportRequest): Promise<ImportOutcome> {
  const { message, sender, settings } = request;
  const language: Language = sender.language;
  await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [String(settings.statementTimeoutMs)]);
  const started = performance.now();
  const reader = new TemplateRowReader(request.path, {
    limits: settings.limits,
    codeLists: request.codeLists,
  });
  let template: TemplateDefinition | undefined;
  let uploadId: number | undefined;
  let stager: RowStager | undefined;
  let importer: Importer | undefined;
  let importRows: Importer["importRows"];
  let imported = 0;
  for await (const event of reader) {
    if (event.kind === "template") {
      template = event.template;
      if (!(await userMayUpload(tx, sender.id, template.id))) throw new NotPermitted(template);
      uploadId = await claimUpload(tx, {
        templateCode: template.id,
        templateVersion: template.version,
        userId: sender.id,
        senderAddress: message.sender.address.toLowerCase(),
        messageId: message.messageId,
        fileName: message.attachment.filename,
        sha256: message.attachment.sha256,
        objectKey: message.attachment.key,
        environment: message.environment,
        receivedAt: message.receivedAt,
      });
      if (uploadId === undefined) throw new AlreadyClaimed();
      await tx.query("SAVEPOINT staged");
      await createStagingTables(tx, template);
      importer = importerFor(template.id);
      const context = { tx, uploadId, userId: sender.id };
      const whileReading = template.sheets.length === 1 ? importer?.importRows : undefined;
      importRows = whileReading;
      stager = new RowStager(tx, {
        chunkRows: STAGING_CHUNK_ROWS,
        onChunk: whileReading
          ? async (_sheet, range) => {
              imported += await whileReading(context, range);
            }
          : undefined,
      });
      continue;
    }
    await stager?.add(event.layout.definition, event.rows);
  }
  await stager?.finish();
  const summary = reader.summary();
  if (!template || uploadId === undefined) throw new Error("workbook read without a template");

  const read = performance.now();
  const rows = [...summary.rowCounts.values()].reduce((total, count) => total + count, 0);
  const staged = await checkStagedRows(tx, template, summary.layouts, {
    senderId: sender.id,
    limit: settings.limits.maxReportedErrors,
  });
  for (const error of staged) summary.errors.add(error);
  const checked = performance.now();
  const timings = () => ({
    readMs: Math.round(read - started),
    checkMs: Math.round(checked - read),
    importMs: Math.round(performance.now() - checked),
  });

  if (summary.errors.count > 0) {
    await tx.query("ROLLBACK TO SAVEPOINT staged");
    const annotated = rows <= settings.errorWorkbookMaxRows;
    const errors = sortErrors(template, summary.errors.reported);
    const workbook = await writeErrorWorkbook({
      ...(annotated ? { sourcePath: request.path } : {}),
      errors,
      errorCount: summary.errors.count,
      language,
    });
    const filename = errorFileName(message.attachment.filename, language);
    const key = `errors/${message.environment}/${uploadId}/${filename}`;
    await request.attachments.put(key, workbook, { contentType: XLSX_TYPE });
    const reply = replies.rejected(systemTagFor(settings, message.environment), language, template, {
      id: uploadId,
      filename: message.attachment.filename,
      errors: summary.errors.count,
      annotated,
    });
    const outbox: Outbox = {
      email: answerEmail(message, uploadAnswerId(message, uploadId), reply, [
        { bucket: "emailattachments", key, filename, contentType: XLSX_TYPE },
      ]),
      reports: [],
    };
    await recordOutcome(tx, uploadId, {
      status: "rejected",
      rowCount: rows,
      errorCount: summary.errors.count,
      resultObjectKey: key,
      outbox,
    });
    return { uploadId, status: "rejected", rows, errors: summary.errors.count, outbox, timings: timings() };
  }

  if (!importer) throw new Error(`no importer for template ${template.id}`);
  if (!importRows) {
    // Temporary tables are never analysed on their own; without statistics the planner
    // takes 100,000 staged rows for a handful and joins them row by row. The checks need
    // none (they hash), nor an importer that wrote its rows while they were read.
    for (const sheet of template.sheets) await tx.query(`ANALYZE ${stagingTable(sheet)}`);
  }
  const result = await importer.finish({ tx, uploadId, userId: sender.id }, imported);
  const reply = replies.imported(systemTagFor(settings, message.environment), language, template, {
    id: uploadId,
    filename: message.attachment.filename,
    rows,
    counts: result.counts,
    reports: result.submissionIds.length,
  });
  const id = uploadId;
  const outbox: Outbox = {
    email: answerEmail(message, uploadAnswerId(message, uploadId), reply),
    reports: result.submissionIds.map((submissionId) =>
      labClientReportRequest(message, { id, submissionId }),
    ),
  };
  await recordOutcome(tx, uploadId, { status: "imported", rowCount: rows, errorCount: 0, outbox });
  return { uploadId, status: "imported", rows, errors: 0, outbox, timings: timings() };
}

/**
 * The order of the error workbook: by sheet in the template's order (submissions before
 * results), then row and column. Sorted here, the one place that holds the errors from
 * the workbook and those from the database checks together.
 */
function sortErrors(template: TemplateDefinition, errors: readonly CellError[]): CellError[] {
  const position = (name: string) => {
    const index = template.sheets.findIndex((sheet) => sheetNameMatches(sheet, name));
    return index === -1 ? template.sheets.length : index;
  };
  return [...errors].sort(
    (a, b) =>
      position(a.sheet) - position(b.sheet) ||
      a.sheet.localeCompare(b.sheet) ||
      a.row - b.row ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

function errorFileName(original: string, language: Language): string {
  const base = original.replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N} _.-]/gu, "_") || "upload";
  return `${base}-${language === "en" ? "errors" : "kesalahan"}.xlsx`;
}
