// Rows in PostgreSQL's COPY text format. Hand-written because the format is four escapes
// and a tab between fields; a CSV library would add quoting rules COPY text does not use.
import type { ColumnValue } from "@isikhnas/workbooks";

export function copyLine(rowNumber: number, values: readonly ColumnValue[]): string {
  let line = String(rowNumber);
  for (const value of values) {
    line += "\t";
    if (value === null) line += "\\N";
    else if (typeof value === "number") line += String(value);
    else line += escapeText(value);
  }
  return `${line}\n`;
}

function escapeText(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text;
}
