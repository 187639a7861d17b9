// PostgreSQL pools: the primary for writes, a read replica for reports (falls back to
// the primary), transactions with a statement timeout.
import pg from "pg";
import type { DatabaseConfig } from "../config/common.js";

/**
 * What a query needs of a database: the Database, one of its pools, or a client inside a
 * transaction all satisfy it. Text and values only, so no caller depends on pg's overloads.
 */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string | PreparedStatement,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * A statement PostgreSQL parses and plans once per connection, under its name, instead of
 * with every call: for the long statements a hot path sends thousands of times a second,
 * planning costs as much as running them. One name, one text, for the life of the process.
 */
export interface PreparedStatement {
  name: string;
  text: string;
}

/** A statement with its name, to pass to `query` in place of the text. */
export function prepared(name: string, text: string): PreparedStatement {
  return { name, text };
}

export type Transaction = pg.PoolClient;

export interface Database extends Queryable {
  readonly primary: pg.Pool;
  readonly replica: pg.Pool;
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** True when both pools answer a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// Numeric and bigint columns come back as strings by default; counts here fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

function makePool(
  url: string,
  config: Pick<DatabaseConfig, "DB_POOL_MAX" | "DB_STATEMENT_TIMEOUT_MS">,
  name: string,
) {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.DB_POOL_MAX,
    statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: config.DB_STATEMENT_TIMEOUT_MS * 2,
    application_name: name,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a
  // listener that would crash the process. The next query reconnects.
  pool.on("error", () => {});
  // A checked-out client has no listener of the pool's: a connection cut mid-transaction
  // (a database restart) would be an uncaught 'error' and end the process. The query in
  // flight rejects with the same error, which is where it is handled.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return pool;
}

export function createDatabase(
  config: Pick<DatabaseConfig, "DATABASE_URL" | "DB_POOL_MAX" | "DB_STATEMENT_TIMEOUT_MS"> & {
    DATABASE_READ_URL?: string | undefined;
  },
  applicationName = "isikhnas",
): Database {
  const primary = makePool(config.DATABASE_URL, config, applicationName);
  const replica =
    config.DATABASE_READ_URL && config.DATABASE_READ_URL !== config.DATABASE_URL
      ? makePool(config.DATABASE_READ_URL, config, `${applicationName}-read`)
      : primary;

  return {
    primary,
    replica,
    query: (text, values) =>
      typeof text === "string"
        ? primary.query(text, values as unknown[])
        : primary.query({ name: text.name, text: text.text, values: values as unknown[] }),
    async transaction(work) {
      const client = await primary.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await primary.query("SELECT 1");
        if (replica !== primary) await replica.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await primary.end();
      if (replica !== primary) await replica.end();
    },
  };
}
