// A cell as the validator sees it, whatever program wrote it: formulas give their cached
// result, rich text and hyperlinks their text, errors and blanks nothing.

export type CellInput = string | number | boolean | Date | null;

export function toCellInput(value: unknown): CellInput {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    const text = value.trim();
    return text === "" ? null : text;
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean" || value instanceof Date) return value;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.richText)) {
      return toCellInput(record.richText.map((run: { text?: unknown }) => String(run.text ?? "")).join(""));
    }
    if ("result" in record) return toCellInput(record.result);
    if ("formula" in record || "sharedFormula" in record) return null;
    if ("text" in record) return toCellInput(record.text);
    // { error: "#N/A" } and anything unknown.
    return null;
  }
  return null;
}

/** How a cell's content is written back in a message: dates as ISO days. */
export function displayCell(value: CellInput): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}
