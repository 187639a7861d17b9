// A report's reads on the replica: one REPEATABLE READ, READ ONLY transaction, so every
// query of a report sees the same snapshot, and a cursor for the sheets that may hold a
// million rows. Only one query runs on the connection at a time (the sheets stream last).
import type { Database } from "@isikhnas/platform";
import type { ReportSource } from "@isikhnas/reporting/build";
import type pg from "pg";
import Cursor from "pg-cursor";

const CURSOR_BATCH = 2_000;

export interface OpenSource extends ReportSource {
  close(): Promise<void>;
}

export async function openReplicaSource(db: Database): Promise<OpenSource> {
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
