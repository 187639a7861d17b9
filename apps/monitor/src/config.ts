// The monitor's settings, read once from the environment and validated: what it watches,
// how often, when a failing check becomes an incident, and how the administrators are told.
import {
  awsSchema,
  type Env,
  httpSchema,
  listFromEnv,
  loggingSchema,
  parseConfig,
  QUEUE_AGE_SOURCES,
  QUEUES,
} from "@isikhnas/platform";
import { z } from "zod";

/** `name=url` pairs, or bare URLs named by their host and port. */
const readinessTargets = listFromEnv.transform((entries, context) =>
  entries.flatMap((entry) => {
    const equals = entry.indexOf("=");
    const name = equals > 0 ? entry.slice(0, equals).trim() : "";
    const url = equals > 0 ? entry.slice(equals + 1).trim() : entry;
    try {
      const parsed = new URL(url);
      return [{ name: name || parsed.host, url }];
    } catch {
      context.addIssue({ code: "custom", message: `not a URL: ${JSON.stringify(url)}` });
      return [];
    }
  }),
);

const phone = z.string().regex(/^\+?\d{5,15}$/, "international numbers, digits only");

export const NOTIFY_PATHS = ["sns", "spool", "webhook"] as const;

const monitorSchema = z.object({
  /** Time between two rounds of checks. */
  MONITOR_INTERVAL_MS: z.coerce.number().int().min(50).default(30_000),
  /** Consecutive failures of one check that open an incident. */
  MONITOR_FAILURES_TO_OPEN: z.coerce.number().int().min(1).max(100).default(3),
  /** While an incident stays open, the administrators are reminded this often. */
  MONITOR_REMINDER_HOURS: z.coerce.number().positive().default(24),
  /** The monitor's own history (SQLite); its folder must exist and be writable. */
  MONITOR_STORE_PATH: z.string().min(1).default("/var/lib/isikhnas-monitor/monitor.sqlite"),
  /** How long one probe may take before it counts as a failure. */
  MONITOR_PROBE_TIMEOUT_MS: z.coerce.number().int().min(50).default(5_000),

  /** Daemons' /readyz, comma-separated: `sms-gateway=http://10.0.1.5:9408/readyz,…`. */
  MONITOR_READYZ_URLS: readinessTargets,
  /** Queues whose backlog and dead letters are watched ("none" for no queue checks). */
  MONITOR_QUEUES: z
    .string()
    .default(QUEUES.join(","))
    .transform((value) =>
      value.trim() === "none"
        ? []
        : value
            .split(",")
            .map((entry) => entry.trim())
            .filter(Boolean),
    ),
  /** A queue with messages waiting for longer than this fails its check. */
  MONITOR_QUEUE_MAX_AGE_SECONDS: z.coerce.number().positive().default(900),
  /** Dead letters a queue may hold before its dead-letter check fails. */
  /**
   * Where the oldest message's age comes from: CloudWatch (AWS), the emulator's inspection
   * (local stack), or `none`: how long the queue has not once been seen empty, an upper
   * bound. Unset: the emulator with an SQS endpoint, CloudWatch without.
   */
  MONITOR_QUEUE_AGE_SOURCE: z.enum(QUEUE_AGE_SOURCES).optional(),
  MONITOR_DLQ_MAX: z.coerce.number().int().min(0).default(0),
  /** PostgreSQL to reach with `SELECT 1` (no database check without it). */
  MONITOR_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),

  /** smsd's status file (`stats/status`), rewritten while smsd runs: its age is the modem's liveness. */
  MONITOR_MODEM_STATUS_FILE: z.string().min(1).optional(),
  /** Or smsd's sent folder: the age of the newest file in it. */
  MONITOR_MODEM_SENT_DIR: z.string().min(1).optional(),
  MONITOR_MODEM_MAX_AGE_SECONDS: z.coerce.number().positive().default(900),

  /** The gateway's SMSTools3 spool root: the canary's message goes into its incoming/. */
  MONITOR_CANARY_SPOOL_DIR: z.string().min(1).optional(),
  /** A registered user kept for the canary (not an officer), its phone as smsd writes it. */
  MONITOR_CANARY_PHONE: phone.optional(),
  /** A query, so the canary stores no report: `KODE PK` answers with the outcome codes. */
  MONITOR_CANARY_TEXT: z.string().min(1).default("KODE PK"),
  MONITOR_CANARY_EVERY_SECONDS: z.coerce.number().positive().default(900),
  MONITOR_CANARY_DEADLINE_SECONDS: z.coerce.number().positive().default(120),

  /** Who is texted: comma-separated international numbers. */
  MONITOR_ADMIN_PHONES: listFromEnv.pipe(z.array(phone).min(1, "at least one administrator's phone")),
  /** How: `sns` (production), `spool` (a folder of SMSTools3 outgoing files of its own), `webhook`. */
  MONITOR_NOTIFY: listFromEnv.pipe(z.array(z.enum(NOTIFY_PATHS)).min(1)).default(["sns"]),
  MONITOR_NOTIFY_SPOOL_DIR: z.string().min(1).optional(),
  MONITOR_NOTIFY_WEBHOOK_URL: z.url().optional(),
  /** The region SNS texts from: the monitor's own, not the watched deployment's. */
  MONITOR_SNS_REGION: z.string().optional(),
  AWS_ENDPOINT_URL_SNS: z.url().optional(),
  /** Starts every text, so the administrators know it from the system's own SMS. */
  MONITOR_TAG: z.string().default("[iSIKHNAS MONITOR]"),
});

export const configSchema = monitorSchema
  .extend(awsSchema.shape)
  .extend(httpSchema.shape)
  .extend(loggingSchema.shape)
  .superRefine((config, context) => {
    const need = (when: boolean, path: string, message: string) => {
      if (when) context.addIssue({ code: "custom", path: [path], message });
    };
    need(
      config.MONITOR_NOTIFY.includes("spool") && !config.MONITOR_NOTIFY_SPOOL_DIR,
      "MONITOR_NOTIFY_SPOOL_DIR",
      "is required with MONITOR_NOTIFY=spool",
    );
    need(
      config.MONITOR_NOTIFY.includes("webhook") && !config.MONITOR_NOTIFY_WEBHOOK_URL,
      "MONITOR_NOTIFY_WEBHOOK_URL",
      "is required with MONITOR_NOTIFY=webhook",
    );
    need(
      Boolean(config.MONITOR_CANARY_SPOOL_DIR) !== Boolean(config.MONITOR_CANARY_PHONE),
      "MONITOR_CANARY_PHONE",
      "MONITOR_CANARY_SPOOL_DIR and MONITOR_CANARY_PHONE go together",
    );
    need(
      Boolean(config.MONITOR_MODEM_STATUS_FILE && config.MONITOR_MODEM_SENT_DIR),
      "MONITOR_MODEM_SENT_DIR",
      "set MONITOR_MODEM_STATUS_FILE or MONITOR_MODEM_SENT_DIR, not both",
    );
  });

export type MonitorConfig = z.output<typeof configSchema>;

export function loadConfig(env: Env = process.env): MonitorConfig {
  return parseConfig(configSchema, env);
}
