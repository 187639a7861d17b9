// The daemons of a live deployment as data: where each runs and exactly which queues,
// bucket prefixes, databases and secrets it touches. Roles, env files and host setup are
// all derived from this one table, so a grant cannot drift from what the daemon is told.
import type { BucketName, QueueName } from "@isikhnas/platform";

export type HostKind = "messaging" | "processing" | "reporting";

/** Objects under `prefix` (e.g. "errors/"); "" is the whole bucket. Writers may delete only when `delete`. */
export type BucketGrant = { bucket: BucketName; prefix: string; delete?: boolean };

/** Which database an env variable points at: the live primary, its replica, or the Sidecar. */
export type DatabaseTarget = "live" | "live-replica" | "sidecar";

export interface DaemonSpec {
  /** Role, env file and parameter name. */
  name: string;
  /** The systemd unit under infra/systemd/ it runs from (a copy of it when it differs from name). */
  unit: string;
  host: HostKind;
  /** Port of /healthz and /metrics, reachable from inside the VPC. */
  httpPort: number;
  receives: QueueName[];
  sends: QueueName[];
  reads: BucketGrant[];
  writes: BucketGrant[];
  databases: Partial<Record<"DATABASE_URL" | "DATABASE_READ_URL" | "TRAINING_DATABASE_URL", DatabaseTarget>>;
  /** May send mail through SES (From restricted to the configured address). */
  sendsMail: boolean;
  /** Reads the Telegram bot tokens secret. */
  readsBotTokens: boolean;
  /** Settings of its own, on top of the shared ones (region, prefix, port, environment). */
  settings: Record<string, string>;
  environment: "live" | "training";
}

const whole = (bucket: BucketName): BucketGrant => ({ bucket, prefix: "" });

export interface CatalogueOptions {
  ingestAddress: string;
  trainingIngestAddress: string;
  mailFrom: string;
  configurationSet: string;
  withSidecar: boolean;
}

export function daemonCatalogue(options: CatalogueOptions): DaemonSpec[] {
  const sidecar = options.withSidecar;
  const daemons: DaemonSpec[] = [
    {
      name: "email-ingest",
      unit: "email-ingest",
      host: "messaging",
      httpPort: 9401,
      receives: ["mailinbound"],
      sends: ["emailinput", "emailoutput"],
      // SES stores under ses/; the Postfix pipe under postfix/. Ingest reads both.
      reads: [whole("rawmail")],
      writes: [
        { bucket: "rawmail", prefix: "ses/" },
        { bucket: "rawmail", prefix: "postfix/" },
        // A workbook part found over the limit while streaming is deleted again.
        { bucket: "queuefiles", prefix: "", delete: true },
        { bucket: "emailattachments", prefix: "templates/" },
      ],
      databases: { DATABASE_URL: "live", ...(sidecar ? { TRAINING_DATABASE_URL: "sidecar" as const } : {}) },
      sendsMail: false,
      readsBotTokens: false,
      settings: {
        INGEST_ADDRESS_LIVE: options.ingestAddress,
        ...(sidecar ? { INGEST_ADDRESS_TRAINING: options.trainingIngestAddress } : {}),
        MAILINBOUND_VISIBILITY_SECONDS: String(QUEUE_VISIBILITY_SECONDS.mailinbound),
      },
      environment: "live",
    },
    {
      name: "email-sender",
      unit: "email-sender",
      host: "messaging",
      httpPort: 9402,
      receives: ["emailoutput"],
      // A message whose recipients must wait comes back as a delayed copy of itself.
      sends: ["emailoutput"],
      // Attachments and recipient lists come from these two buckets only.
      reads: [whole("emailattachments"), whole("reports")],
      writes: [],
      databases: { DATABASE_URL: "live" },
      sendsMail: true,
      readsBotTokens: false,
      settings: {
        MAIL_TRANSPORT: "ses",
        MAIL_FROM: options.mailFrom,
        SES_CONFIGURATION_SET: options.configurationSet,
        EMAILOUTPUT_VISIBILITY_SECONDS: String(QUEUE_VISIBILITY_SECONDS.emailoutput),
      },
      environment: "live",
    },
    {
      name: "sms-gateway",
      unit: "sms-gateway",
      host: "messaging",
      httpPort: 9405,
      receives: [],
      sends: [],
      reads: [],
      writes: [],
      databases: { DATABASE_URL: "live" },
      sendsMail: false,
      readsBotTokens: false,
      settings: { SMS_SPOOL_DIR: "/var/spool/sms" },
      environment: "live",
    },
    {
      name: "im-bridge",
      unit: "im-bridge",
      host: "messaging",
      httpPort: 9406,
      receives: [],
      sends: [],
      reads: [whole("images")],
      writes: [whole("images")],
      // One bridge per bot: the training bot's runs as im-bridge-training on the Sidecar.
      databases: { DATABASE_URL: "live" },
      sendsMail: false,
      readsBotTokens: true,
      settings: {},
      environment: "live",
    },
    {
      name: "excel-processor",
      unit: "excel-processor",
      host: "processing",
      httpPort: 9403,
      receives: ["emailinput"],
      sends: ["emailoutput", "reportrequest"],
      reads: [whole("queuefiles")],
      writes: [{ bucket: "emailattachments", prefix: "errors/" }],
      databases: { DATABASE_URL: "live", ...(sidecar ? { TRAINING_DATABASE_URL: "sidecar" as const } : {}) },
      sendsMail: false,
      readsBotTokens: false,
      settings: {
        EMAILINPUT_VISIBILITY_SECONDS: String(QUEUE_VISIBILITY_SECONDS.emailinput),
        WORK_DIR: "/var/lib/isikhnas/excel-processor",
      },
      environment: "live",
    },
    {
      name: "report-generator",
      unit: "report-generator",
      host: "reporting",
      httpPort: 9404,
      receives: ["reportrequest"],
      sends: ["emailoutput"],
      reads: [whole("reports")],
      writes: [whole("reports")],
      // Report queries read the replica; the primary is for the report's own bookkeeping.
      databases: {
        DATABASE_URL: "live",
        DATABASE_READ_URL: "live-replica",
        ...(sidecar ? { TRAINING_DATABASE_URL: "sidecar" as const } : {}),
      },
      sendsMail: false,
      readsBotTokens: false,
      // The queue's own visibility: a report's build runs within it (its run lease, 600 s by
      // default, is what hands a stalled build to another host). The rest of REPORT_* keep
      // their defaults: schedules on, a tick every minute, 35 days caught up after downtime.
      settings: {
        REPORTREQUEST_VISIBILITY_SECONDS: String(QUEUE_VISIBILITY_SECONDS.reportrequest),
      },
      environment: "live",
    },
  ];
  if (sidecar) {
    // The Sidecar has its own SMS number: a second gateway (and smsd) on the messaging host.
    daemons.push({
      name: "sms-gateway-training",
      unit: "sms-gateway",
      host: "messaging",
      httpPort: 9407,
      receives: [],
      sends: [],
      reads: [],
      writes: [],
      databases: { DATABASE_URL: "sidecar" },
      sendsMail: false,
      readsBotTokens: false,
      settings: { SMS_SPOOL_DIR: "/var/spool/sms-training" },
      environment: "training",
    });
    // And its own Telegram bot: a second bridge, reading TELEGRAM_BOT_TOKEN_TRAINING.
    daemons.push({
      name: "im-bridge-training",
      unit: "im-bridge",
      host: "messaging",
      httpPort: 9408,
      receives: [],
      sends: [],
      reads: [whole("images")],
      writes: [whole("images")],
      databases: { DATABASE_URL: "sidecar" },
      sendsMail: false,
      readsBotTokens: true,
      settings: {},
      environment: "training",
    });
  }
  return daemons;
}

/**
 * Default visibility of each queue, in seconds. Excel imports run for minutes: emailinput
 * starts long and the consumer's heartbeat extends it while a workbook is imported.
 */
export const QUEUE_VISIBILITY_SECONDS: Record<QueueName, number> = {
  emailinput: 900,
  emailoutput: 300,
  reportrequest: 900,
  mailinbound: 300,
};
