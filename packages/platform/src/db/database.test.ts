import { fileURLToPath } from "node:url";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./database.js";
import { migrate } from "./migrate.js";

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

  it("cancels statements that run past the statement timeout", async () => {
    await expect(db.query("SELECT pg_sleep(2)")).rejects.toThrow(/statement timeout/);
  });

  it("answers ping and reads through the replica pool (the primary when no replica is set)", async () => {
    expect(await db.ping()).toBe(true);
    expect(db.replica).toBe(db.primary);
  });
});
