// Where the rows a production write module writes come from: values the caller holds (the
// species groups of one SMS) or rows already staged in the transaction (a workbook's
// checked rows), so both channels go through the same statements and a 100,000-row
// workbook never passes through Node.
import type { Queryable } from "@isikhnas/platform";

export type SqlType = "text" | "date" | "integer";

/** The columns of a row, by name, with their SQL types. */
export type Columns<Row> = { readonly [K in keyof Row & string]: SqlType };

export type RowSource<Row> =
  /** Rows given by value. */
  | { readonly rows: readonly Row[] }
  /**
   * A table in the transaction whose columns carry the row's names (a workbook's staging
   * table: the template's column keys) and a `row_number`; optionally only the rows
   * numbered in (after, upTo].
   */
  | { readonly staged: string; readonly range?: { readonly after: number; readonly upTo: number } };

/** Who wrote the rows, and what they came in: one SMS or one upload. */
export type Origin = { readonly reporterId: number } & (
  | { readonly inboundMessageId: number; readonly uploadId?: never }
  | { readonly uploadId: number; readonly inboundMessageId?: never }
);

export function originValues(origin: Origin): [number | null, number | null] {
  return [origin.inboundMessageId ?? null, origin.uploadId ?? null];
}

const NAME = /^[a-z_][a-z0-9_]*$/;

function quoted(name: string): string {
  if (!NAME.test(name)) throw new Error(`not a plain SQL name: ${name}`);
  return `"${name}"`;
}

/**
 * The source as a FROM item aliased `s`, its values numbered from `$firstParameter`, with a
 * `row_number` besides the row's columns (the staged row's, or the position among the rows
 * given). Values are bound, never spliced; a staging table's name must be a plain name.
 */
export function sourceRelation<Row>(
  source: RowSource<Row>,
  columns: Columns<Row>,
  firstParameter: number,
): { from: string; values: unknown[] } {
  const names = Object.keys(columns) as (keyof Row & string)[];
  const list = names.map(quoted).join(", ");
  if ("rows" in source) {
    const arrays = names.map((name, index) => `$${firstParameter + index}::${columns[name]}[]`);
    return {
      from: `unnest(${arrays.join(", ")}) WITH ORDINALITY AS s (${list}, row_number)`,
      values: names.map((name) => source.rows.map((row) => row[name] ?? null)),
    };
  }
  const table = quoted(source.staged);
  if (!source.range) return { from: `(SELECT ${list}, row_number FROM ${table}) AS s`, values: [] };
  return {
    from: `(SELECT ${list}, row_number FROM ${table} WHERE row_number > $${firstParameter} AND row_number <= $${firstParameter + 1}) AS s`,
    values: [source.range.after, source.range.upTo],
  };
}

/** Runs `sql` with the source's relation in place of `{source}`, after `values`. */
export async function writeFrom<Row>(
  tx: Queryable,
  sql: string,
  values: readonly unknown[],
  source: RowSource<Row>,
  columns: Columns<Row>,
): Promise<number> {
  const relation = sourceRelation(source, columns, values.length + 1);
  const result = await tx.query(sql.replace("{source}", relation.from), [...values, ...relation.values]);
  return result.rowCount ?? 0;
}
