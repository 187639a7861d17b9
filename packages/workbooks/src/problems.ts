// Why a workbook was refused as a whole (as opposed to errors in its cells). Each has a
// stable code the reply is worded from, and details for the sender and the log.

export type WorkbookProblemCode =
  | "legacy_xls"
  | "macro_enabled"
  | "encrypted"
  | "corrupt"
  | "not_a_workbook"
  | "file_too_large"
  | "zip_bomb"
  | "too_many_rows"
  | "too_many_columns"
  | "unknown_template"
  | "wrong_template_version"
  | "missing_sheet"
  | "missing_columns"
  | "empty";

export class WorkbookRejected extends Error {
  readonly code: WorkbookProblemCode;
  /** Values the reply names: a sheet, the missing columns, the limit broken. */
  readonly details: Readonly<Record<string, string | number>>;

  constructor(
    code: WorkbookProblemCode,
    message: string,
    details: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "WorkbookRejected";
    this.code = code;
    this.details = details;
  }
}

export function isWorkbookRejected(value: unknown): value is WorkbookRejected {
  return value instanceof WorkbookRejected;
}

/** A file the container guard or the reader could not make sense of; the cause is kept. */
export function corruptWorkbook(summary: string, cause: unknown): WorkbookRejected {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new WorkbookRejected("corrupt", `${summary}: ${detail}`, {}, { cause });
}
