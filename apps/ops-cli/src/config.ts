// The CLI reads only the settings a command needs, so `queues stats` works on a host
// without database access and `migrate` on one without AWS credentials.
import {
  awsSchema,
  DEFAULT_MAX_RECEIVE_COUNT,
  databaseSchema,
  type Env,
  parseConfig,
} from "@isikhnas/platform";
import { z } from "zod";

export function loadDatabaseConfig(env: Env) {
  return parseConfig(databaseSchema, env);
}

export function loadAwsConfig(env: Env) {
  return parseConfig(
    awsSchema.extend({
      MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).default(DEFAULT_MAX_RECEIVE_COUNT),
    }),
    env,
  );
}
