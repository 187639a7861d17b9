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

export interface TransactionOptions {
  /**
   * Send statements without waiting for the ones before them (pg's pipeline mode, on this
   * connection for this transaction only): BEGIN travels with the first statement, and
   * `queryAndCommit` sends the last statement and COMMIT together. Each statement is still
   * answered in order; a failed one aborts the transaction as usual. Not for work that reads
   * through a cursor or a COPY stream, which pipeline mode refuses.
   */
  pipelined?: boolean;
}

export interface Database extends Queryable {
  readonly primary: pg.Pool;
  readonly replica: pg.Pool;
  /**
   * Runs `work` in one transaction; commits when it resolves (unless it committed itself with
   * `queryAndCommit`), rolls back when it throws.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
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

/**
 * pg reads its `pipeline` flag at every query, so a pooled connection can pipeline for one
 * transaction and go back to the pool as it came; the flag is only typed read-only.
 */
function setPipelined(client: pg.PoolClient, on: boolean): void {
  (client as { pipeline: boolean }).pipeline = on;
}

/**
 * Runs `send` with the connection's socket corked, so the statements it queues leave in one
 * write: pg writes each statement on its own, and on loopback a write costs more CPU than
 * the statement's bytes.
 */
function together<T>(client: Partial<Pick<pg.PoolClient, "connection">>, send: () => T): T {
  const stream = client.connection?.stream;
  stream?.cork();
  try {
    return send();
  } finally {
    stream?.uncork();
  }
}

/**
 * Sends `text` and COMMIT together in a pipelined transaction (one after the other
 * otherwise) and resolves with the statement's result once both succeeded; the transaction
 * then has nothing left to commit. A statement that fails makes that COMMIT a rollback.
 */
export async function queryAndCommit<R extends pg.QueryResultRow = pg.QueryResultRow>(
  tx: Queryable & Partial<Pick<pg.PoolClient, "pipeline" | "connection">>,
  text: string | PreparedStatement,
  values?: readonly unknown[],
): Promise<pg.QueryResult<R>> {
  if (tx.pipeline !== true) {
    const result = await tx.query<R>(text, values);
    await tx.query("COMMIT");
    return result;
  }
  const [result, committed] = together(tx, () => [tx.query<R>(text, values), tx.query("COMMIT")] as const);
  // Both are awaited; whichever fails first is the error, the other's is the same failure.
  committed.catch(() => {});
  result.catch(() => {});
  const [answer] = await Promise.all([result, committed]);
  return answer;
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
    async transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions) {
      const client = await primary.connect();
      const pipelined = options?.pipelined === true;
      if (pipelined) setPipelined(client, true);
      try {
        let result: T;
        let begun: Promise<unknown>;
        if (pipelined) {
          // The work's first statement goes out behind BEGIN, in the same write, without
          // waiting for it; what fails BEGIN (a broken connection) fails that statement too.
          const [sent, working] = together(client, () => [client.query("BEGIN"), work(client)] as const);
          begun = sent;
          begun.catch(() => {});
          result = await working;
        } else {
          begun = client.query("BEGIN");
          await begun;
          result = await work(client);
        }
        await begun;
        if (client.getTransactionStatus() !== "I") await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        // Every statement has been answered by now (ROLLBACK or COMMIT came last), so the
        // connection goes back to the pool one statement at a time, as others expect it.
        if (pipelined) setPipelined(client, false);
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
