// The seeded database the benchmarks share: PostgreSQL (embedded in a temporary folder, or
// the server at `serverUrl`) with one database migrated and loaded with the reference and
// demo data, as `npm start` prepares its own.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, dropDatabase, prepareDatabase, startPostgres } from "@isikhnas/devstack";

export interface BenchDatabase {
  databaseUrl: string;
  /** Drops the database, stops the embedded server and removes its folder. */
  stop(): Promise<void>;
}

export async function startSeededDatabase(name: string, serverUrl?: string): Promise<BenchDatabase> {
  // Its own temporary folder: PostgreSQL runs as another user when started as root.
  const dataDir = await mkdtemp(join(tmpdir(), "isikhnas-bench-pg-"));
  const postgres = await startPostgres({ databaseUrl: serverUrl, dataDir, persistent: false });
  const database = `${name}_${process.pid}`;
  const stop = async () => {
    await dropDatabase(postgres.adminUrl, database);
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const databaseUrl = await createDatabase(postgres.adminUrl, database);
    await prepareDatabase(databaseUrl);
    return { databaseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
