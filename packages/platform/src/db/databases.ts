// The live database and, for daemons that serve the training Sidecar too, the training
// one: built from one config, closed together.
import type { DatabaseConfig, TrainingDatabaseConfig } from "../config/common.js";
import { createDatabase, type Database } from "./database.js";

export interface Databases {
  readonly live: Database;
  /** Present when TRAINING_DATABASE_URL is set. */
  readonly training?: Database | undefined;
  /** Closes both; one that fails to close does not keep the other open. */
  close(): Promise<void>;
}

export type DatabasesConfig = Pick<
  DatabaseConfig,
  "DATABASE_URL" | "DB_POOL_MAX" | "DB_STATEMENT_TIMEOUT_MS"
> & {
  DATABASE_READ_URL?: string | undefined;
} & Partial<TrainingDatabaseConfig>;

export function createDatabases(config: DatabasesConfig, applicationName = "isikhnas"): Databases {
  const live = createDatabase(config, applicationName);
  // The training database has no replica: its reports are few and read the primary.
  const training = config.TRAINING_DATABASE_URL
    ? createDatabase(
        { ...config, DATABASE_URL: config.TRAINING_DATABASE_URL, DATABASE_READ_URL: undefined },
        `${applicationName}-training`,
      )
    : undefined;
  return {
    live,
    training,
    async close() {
      const results = await Promise.allSettled([live.close(), training?.close()]);
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}
