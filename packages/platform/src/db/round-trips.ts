// Counts what a piece of work sends to PostgreSQL: node-postgres does not pipeline, so every
// statement (BEGIN and COMMIT included) is one round trip, paid across the network on RDS.
import type { Database, Queryable, Transaction } from "./database.js";

export interface RoundTripCounter {
  count: number;
}

/**
 * The same database, pools and transactions, with every statement sent through it added to
 * `counter`: `query`, and inside `transaction` its BEGIN, each statement and its COMMIT or
 * ROLLBACK.
 */
export function countRoundTrips(db: Database, counter: RoundTripCounter): Database {
  const counting = <T extends Queryable>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        if (property === "query") {
          return (text: Parameters<Queryable["query"]>[0], values?: readonly unknown[]) => {
            counter.count += 1;
            return object.query(text, values);
          };
        }
        const value: unknown = Reflect.get(object, property, object);
        return typeof value === "function" ? value.bind(object) : value;
      },
    });
  return {
    primary: db.primary,
    replica: db.replica,
    query(text, values) {
      counter.count += 1;
      return db.query(text, values);
    },
    transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      counter.count += 1; // BEGIN
      return db
        .transaction((tx) => work(counting(tx)))
        .then(
          (result) => {
            counter.count += 1; // COMMIT
            return result;
          },
          (error: unknown) => {
            counter.count += 1; // ROLLBACK
            throw error;
          },
        );
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
