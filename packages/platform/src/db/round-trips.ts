// Counts what a piece of work sends to PostgreSQL: the round trips (each time it waits for an
// answer, paid across the network on RDS) and the statements (BEGIN and COMMIT included).
// Without pipelining every statement is a round trip; in a pipelined transaction the
// statements sent while another is unanswered travel with it.
import type { Database, Queryable, Transaction, TransactionOptions } from "./database.js";

export interface RoundTripCounter {
  /** Round trips: statements sent while none of the same connection was unanswered. */
  count: number;
  /** Every statement sent, BEGIN, COMMIT and ROLLBACK included. */
  statements?: number;
}

/**
 * The same database, pools and transactions, with what is sent through it added to
 * `counter`: `query`, and inside `transaction` its BEGIN, each statement and its COMMIT or
 * ROLLBACK.
 */
export function countRoundTrips(db: Database, counter: RoundTripCounter): Database {
  const sent = (trip: boolean) => {
    if (trip) counter.count += 1;
    counter.statements = (counter.statements ?? 0) + 1;
  };
  /** A transaction's client that counts; `unanswered` starts at 1 while a pipelined BEGIN is. */
  const counting = (target: Transaction, pipelinedBegin: boolean): Transaction => {
    // A pipelined BEGIN goes out with the first statement: that statement's trip is BEGIN's.
    let unanswered = pipelinedBegin ? 1 : 0;
    let beginPending = pipelinedBegin;
    return new Proxy(target, {
      get(object, property) {
        if (property === "query") {
          return (text: Parameters<Queryable["query"]>[0], values?: readonly unknown[]) => {
            const joins = unanswered > 0;
            if (beginPending) {
              beginPending = false;
              unanswered -= 1;
            }
            sent(!joins);
            unanswered += 1;
            return (object as Queryable).query(text, values).finally(() => {
              unanswered -= 1;
            });
          };
        }
        const value: unknown = Reflect.get(object, property, object);
        return typeof value === "function" ? value.bind(object) : value;
      },
    });
  };
  return {
    primary: db.primary,
    replica: db.replica,
    query(text, values) {
      sent(true);
      return db.query(text, values);
    },
    transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
      const pipelined = options?.pipelined === true;
      sent(true); // BEGIN
      return db
        .transaction(async (tx) => {
          const result = await work(counting(tx, pipelined));
          // COMMIT follows unless the work committed with its last statement.
          if (tx.getTransactionStatus() !== "I") sent(true);
          return result;
        }, options)
        .catch((error: unknown) => {
          sent(true); // ROLLBACK
          throw error;
        });
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
