// The CLI reads only the settings a command needs, so `queues stats` works on a host
// without database access and `migrate` on one without AWS credentials.
import {
  awsSchema,
  createDatabase,
  type Database,
  DEFAULT_MAX_RECEIVE_COUNT,
  databaseSchema,
  type Env,
  parseConfig,
} from "@isikhnas/platform";
import { z } from "zod";

export function loadDatabaseConfig(env: Env) {
  return parseConfig(databaseSchema, env);
}

/** Runs one command's work on its own pool, closed whatever the work does. */
export async function withDatabase(env: Env, work: (db: Database) => Promise<void>): Promise<void> {
  const db = createDatabase(loadDatabaseConfig(env), "isikhnas-cli");
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

export function loadAwsConfig(env: Env) {
  return parseConfig(
    awsSchema.extend({
      MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).default(DEFAULT_MAX_RECEIVE_COUNT),
    }),
    env,
  );
}
