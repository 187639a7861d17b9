// The console's settings: the operator password and session key, the daemons whose
// /readyz it shows, the monitor's status URL, and where queue ages come from.
import {
  awsSchema,
  databaseSchema,
  type Env,
  loggingSchema,
  parseConfig,
  QUEUE_AGE_SOURCES,
} from "@isikhnas/platform";
import { z } from "zod";

/** `name=url` pairs separated by commas: `email-sender=http://10.0.1.5:9402,…`. */
const daemonList = z.string().transform((value, context) => {
  const daemons: { name: string; url: string }[] = [];
  for (const entry of value.split(",").map((part) => part.trim())) {
    if (entry === "") continue;
    const [name, url] = entry.split(/=(.*)/s, 2).map((part) => part.trim());
    if (!name || !url || !z.url().safeParse(url).success) {
      context.addIssue({ code: "custom", message: `"${entry}" is not name=http://host:port` });
      return z.NEVER;
    }
    daemons.push({ name, url: url.replace(/\/+$/, "") });
  }
  return daemons;
});

export const consoleSchema = awsSchema
  .extend(databaseSchema.shape)
  .extend(loggingSchema.shape)
  .extend({
    /** The one operator password (production: the `<prefix>console` secret, key `password`). */
    CONSOLE_PASSWORD: z.string().min(12, "at least 12 characters"),
    /** Signs session cookies; a random key per start when unset (a restart logs everyone out). */
    CONSOLE_SESSION_SECRET: z.string().min(32, "at least 32 characters").optional(),
    CONSOLE_SESSION_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 7)
      .default(12),
    CONSOLE_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    CONSOLE_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    CONSOLE_DAEMON_URLS: daemonList.default([]),
    /** The off-site monitor's `GET /status`. */
    MONITOR_STATUS_URL: z.url().optional(),
    /**
     * Where the age of a queue's oldest message comes from: CloudWatch's
     * ApproximateAgeOfOldestMessage on AWS, the emulator's inspection API on the local stack
     * (SQS itself does not tell it without receiving, which a look must not do).
     */
    CONSOLE_QUEUE_AGE_SOURCE: z.enum(QUEUE_AGE_SOURCES).optional(),
  });

export type ConsoleConfig = z.output<typeof consoleSchema>;

export function loadConsoleConfig(env: Env): ConsoleConfig {
  return parseConfig(consoleSchema, env);
}
