// Migrations are plain numbered SQL files (`0001_init.sql`, with `-- Up Migration` and an
// optional `-- Down Migration` section) applied by node-pg-migrate under an advisory lock,
// so several daemons starting at once apply them exactly once.
import { runner } from "node-pg-migrate";
import type { Logger } from "../logger.js";

export interface MigrateOptions {
  databaseUrl: string;
  /** Folder of numbered .sql files, applied in numeric order. */
  dir: string;
  logger?: Logger;
}

export interface MigrationResult {
  applied: string[];
}

export async function migrate(options: MigrateOptions): Promise<MigrationResult> {
  const ran = await runner({
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    direction: "up",
    migrationsTable: "schema_migrations",
    checkOrder: true,
    singleTransaction: true,
    verbose: false,
    log: (message) => options.logger?.debug(message),
  });
  const applied = ran.map((migration) => migration.name);
  if (applied.length > 0) options.logger?.info({ applied }, "migrations applied");
  return { applied };
}
