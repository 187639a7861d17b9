// Binds a report definition's placeholders ({start}, {scope}, {param:name} …) to
// positional parameters, each cast to its type, so no value is ever spliced into SQL.
import type { Sql } from "./definition.js";

export interface ReportBindings {
  start: Date | null;
  end: Date | null;
  scope: string;
  language: "id" | "en";
  timeZone: string;
  parameters?: Readonly<Record<string, string | number | boolean>>;
}

const CASTS: Record<string, string> = {
  start: "timestamptz",
  end: "timestamptz",
  scope: "text",
  language: "text",
  timeZone: "text",
};

export class ReportSqlError extends Error {}

export function bindReportSql(sql: Sql, bindings: ReportBindings): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const positions = new Map<string, number>();
  const text = sql.replace(
    /\{(start|end|scope|language|timeZone|param:[A-Za-z][A-Za-z0-9_]*)\}/g,
    (_, name: string) => {
      let position = positions.get(name);
      if (position === undefined) {
        values.push(boundValue(name, bindings));
        position = values.length;
        positions.set(name, position);
      }
      return `$${position}::${CASTS[name] ?? "text"}`;
    },
  );
  const stray = /\{[A-Za-z:]+\}/.exec(text);
  if (stray) throw new ReportSqlError(`unknown placeholder ${stray[0]} in report SQL`);
  return { text, values };
}

function boundValue(name: string, bindings: ReportBindings): unknown {
  if (name.startsWith("param:")) {
    const value = bindings.parameters?.[name.slice("param:".length)];
    return value === undefined ? null : String(value);
  }
  return bindings[name as keyof Omit<ReportBindings, "parameters">];
}
