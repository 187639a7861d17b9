import { fileURLToPath } from "node:url";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database, queryAndCommit } from "./database.js";
import { migrate } from "./migrate.js";
import { countRoundTrips } from "./round-trips.js";

const fixtures = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));

describe("database", () => {
  let stack: TestStack;
  let db: Database;

  beforeAll(async () => {
    stack = await createTestStack({ database: "empty" });
    db = createDatabase({ DATABASE_URL: stack.databaseUrl, DB_POOL_MAX: 4, DB_STATEMENT_TIMEOUT_MS: 500 });
  });
  afterAll(async () => {
    await db.close();
    await stack.close();
  });

  it("applies numbered migrations once and is a no-op the second time", async () => {
    const first = await migrate({ databaseUrl: stack.databaseUrl, dir: fixtures });
    expect(first.applied).toEqual(["0001_widgets", "0002_widget_colour"]);
    const second = await migrate({ databaseUrl: stack.databaseUrl, dir: fixtures });
    expect(second.applied).toEqual([]);
    const columns = await db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'widget' ORDER BY ordinal_position",
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(["id", "name", "colour"]);
  });

  it("a connection cut inside a transaction rejects it, and is no uncaught error that would end the process", async () => {
    // Without a listener on checked-out clients, the cut connection's 'error' event is
    // unhandled: vitest reports it and fails the run, as it would end a daemon.
    const cut = db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await db.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
      await tx.query("SELECT 1");
    });
    // pg words it after how far the cut had got when the next query ran: the server's
    // FATAL ("terminating connection"), the closed socket ("Connection terminated"), or a
    // client already marked broken ("not queryable"). Each is the transaction rejected.
    await expect(cut).rejects.toThrow(/terminat|not queryable/i);
    expect((await db.query<{ n: number }>("SELECT 1 AS n")).rows[0]?.n).toBe(1);
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO widget (name) VALUES ('kept')");
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO widget (name) VALUES ('lost')");
        throw new Error("midway failure");
      }),
    ).rejects.toThrow("midway failure");
    const names = await db.query<{ name: string }>("SELECT name FROM widget ORDER BY name");
    expect(names.rows.map((row) => row.name)).toEqual(["kept"]);
  });

  it("pipelined, sends BEGIN with the first statement and COMMIT with the last, and commits", async () => {
    const counter = { count: 0, statements: 0 };
    const id = await countRoundTrips(db, counter).transaction(
      async (tx) => {
        await tx.query("INSERT INTO widget (name) VALUES ('piped one')");
        const last = await queryAndCommit<{ id: number }>(
          tx,
          "INSERT INTO widget (name) VALUES ('piped two') RETURNING id",
        );
        return last.rows[0]?.id;
      },
      { pipelined: true },
    );
    expect(id).toBeGreaterThan(0);
    expect(counter).toEqual({ count: 2, statements: 4 });
    const names = await db.query<{ name: string }>(
      "SELECT name FROM widget WHERE name LIKE 'piped%' ORDER BY 1",
    );
    expect(names.rows.map((row) => row.name)).toEqual(["piped one", "piped two"]);
  });

  it("pipelined, a last statement that fails takes the whole transaction back", async () => {
    await expect(
      db.transaction(
        async (tx) => {
          await tx.query("INSERT INTO widget (name) VALUES ('undone')");
          // The name is taken: the COMMIT sent behind this statement becomes a rollback.
          return queryAndCommit(tx, "INSERT INTO widget (name) VALUES ('kept')");
        },
        { pipelined: true },
      ),
    ).rejects.toThrow(/duplicate key/);
    const undone = await db.query("SELECT 1 FROM widget WHERE name = 'undone'");
    expect(undone.rowCount).toBe(0);
  });

  it("gives a pipelined transaction's connection back to the pool as it came", async () => {
    const single = createDatabase({
      DATABASE_URL: stack.databaseUrl,
      DB_POOL_MAX: 1,
      DB_STATEMENT_TIMEOUT_MS: 500,
    });
    try {
      await single.transaction((tx) => queryAndCommit(tx, "SELECT 1"), { pipelined: true });
      const client = await single.primary.connect();
      try {
        expect(client.pipeline).toBe(false);
        expect(client.getTransactionStatus()).toBe("I");
      } finally {
        client.release();
      }
    } finally {
      await single.close();
    }
  });

  it("cancels statements that run past the statement timeout", async () => {
    await expect(db.query("SELECT pg_sleep(2)")).rejects.toThrow(/statement timeout/);
  });

  it("answers ping and reads through the replica pool (the primary when no replica is set)", async () => {
    expect(await db.ping()).toBe(true);
    expect(db.replica).toBe(db.primary);
  });
});
