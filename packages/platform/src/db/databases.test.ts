import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabases } from "./databases.js";

const settings = { DB_POOL_MAX: 2, DB_STATEMENT_TIMEOUT_MS: 5_000 };

function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

describe("createDatabases", () => {
  let liveStack: TestStack;
  let trainingStack: TestStack;

  beforeAll(async () => {
    [liveStack, trainingStack] = await Promise.all([
      createTestStack({ database: "empty" }),
      createTestStack({ database: "empty" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([liveStack.close(), trainingStack.close()]);
  });

  it("opens the live database alone when TRAINING_DATABASE_URL is unset", async () => {
    const databases = createDatabases({ ...settings, DATABASE_URL: liveStack.databaseUrl }, "probe");
    expect(databases.training).toBeUndefined();
    const { rows } = await databases.live.query<{ name: string }>("SELECT current_database() AS name");
    expect(rows[0]?.name).toBe(databaseName(liveStack.databaseUrl));
    await databases.close();
    await expect(databases.live.query("SELECT 1")).rejects.toThrow();
  });

  it("opens the training database on its own URL without the live replica, and closes both", async () => {
    const databases = createDatabases(
      {
        ...settings,
        DATABASE_URL: liveStack.databaseUrl,
        // The same database under another URL, so the live side gets a replica pool of its own.
        DATABASE_READ_URL: `${liveStack.databaseUrl}?application_name=probe-read`,
        TRAINING_DATABASE_URL: trainingStack.databaseUrl,
      },
      "probe",
    );
    const { training, live } = databases;
    if (!training) throw new Error("training database missing");
    const answer = await training.query<{ name: string; application: string }>(
      "SELECT current_database() AS name, current_setting('application_name') AS application",
    );
    expect(answer.rows[0]).toEqual({
      name: databaseName(trainingStack.databaseUrl),
      application: "probe-training",
    });
    expect(live.replica).not.toBe(live.primary);
    expect(training.replica).toBe(training.primary);
    await databases.close();
    await expect(live.query("SELECT 1")).rejects.toThrow();
    await expect(live.replica.query("SELECT 1")).rejects.toThrow();
    await expect(training.query("SELECT 1")).rejects.toThrow();
  });
});
