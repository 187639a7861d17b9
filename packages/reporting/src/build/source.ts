// A report's reads on the replica: one REPEATABLE READ, READ ONLY transaction, so every
// query of a report sees the same snapshot, and a cursor for the sheets that may hold a
// million rows. Only one query runs on the connection at a time (the sheets stream last).
// report-generator builds from it, and so does the operator's `isikhnas report run --out`.
import type { Database } from "@isikhnas/platform";
import type pg from "pg";
import Cursor from "pg-cursor";
import type { ReportSource } from "./assemble.js";

const CURSOR_BATCH = 2_000;

export interface OpenReportSource extends ReportSource {
  /** Ends the transaction and gives the connection back (discarded if a query failed). */
  close(): Promise<void>;
}

export async function openReportSource(db: Pick<Database, "replica">): Promise<OpenReportSource> {
  const client: pg.PoolClient = await db.replica.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  let broken: Error | undefined;
  const track = <T>(work: Promise<T>) =>
    work.catch((error: unknown) => {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    });
  return {
    query: (text, values) => track(client.query(text, values as unknown[])),
    async *stream(text, values) {
      const cursor = client.query(new Cursor<Record<string, unknown>>(text, values as unknown[]));
      try {
        for (;;) {
          const rows = await track(cursor.read(CURSOR_BATCH));
          if (rows.length === 0) return;
          yield* rows;
        }
      } finally {
        await cursor.close().catch(() => {});
      }
    },
    async close() {
      if (broken) {
        await client.query("ROLLBACK").catch(() => {});
        client.release(broken);
        return;
      }
      await client.query("COMMIT").catch(() => {});
      client.release();
    },
  };
}
