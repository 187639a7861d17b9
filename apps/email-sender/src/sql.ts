// What the queries here need of a database: the pool or a client inside a transaction.
import type { QueryResultRow } from "pg";

export interface Sql {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}
