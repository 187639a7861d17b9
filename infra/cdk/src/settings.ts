// Deployment settings of one environment (live or the training Sidecar), validated once
// from CDK context; every size and name a deployment may want to change is here.
import { z } from "zod";

const prefix = z
  .string()
  .regex(/^[a-z0-9-]*-$/, "lower-case letters, digits and dashes, ending in a dash (as RESOURCE_PREFIX)");
const email = z.email().transform((value) => value.toLowerCase());
const phone = z.string().regex(/^\+\d{8,15}$/, "an E.164 number: + and country code");
/** Phones from cdk.json (a list) or `-c key=+62…,+62…` (one string). */
const phones = z
  .union([z.array(z.string()), z.string()])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(",")).map((entry) => entry.trim()).filter(Boolean),
  )
  .pipe(z.array(phone));

const common = {
  /** Physical queue, bucket, secret and parameter names start with it (the apps' RESOURCE_PREFIX). */
  prefix,
  region: z.string().default("ap-southeast-3"),
  /** Unset: an environment-agnostic template (CDK_DEFAULT_ACCOUNT when deploying). */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  databaseInstanceType: z.string(),
  databaseAllocatedStorageGb: z.coerce.number().int().min(20),
  databaseMaxAllocatedStorageGb: z.coerce.number().int().min(20),
  databaseMultiAz: z.coerce.boolean(),
  /** Days of RDS automated backups (point-in-time recovery). */
  databaseBackupRetentionDays: z.coerce.number().int().min(1).max(35),
  /** Days the 12-hourly AWS Backup recovery points are kept. */
  backupRetentionDays: z.coerce.number().int().min(1),
  deletionProtection: z.coerce.boolean(),
};

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const liveSchema = z.object({
  environment: z.literal("live"),
  ...common,
  prefix: prefix.default("isikhnas-live-"),
  databaseInstanceType: z.string().default("m6g.large"),
  databaseAllocatedStorageGb: common.databaseAllocatedStorageGb.default(200),
  databaseMaxAllocatedStorageGb: common.databaseMaxAllocatedStorageGb.default(1000),
  databaseMultiAz: common.databaseMultiAz.default(true),
  databaseBackupRetentionDays: common.databaseBackupRetentionDays.default(14),
  backupRetentionDays: common.backupRetentionDays.default(35),
  deletionProtection: common.deletionProtection.default(true),
  replicaInstanceType: z.string().default("m6g.large"),
  /** Prefix of the training Sidecar stack: its database secret is read by name. */
  sidecarPrefix: prefix.default("isikhnas-training-"),
  /** Route the training alias, bot and SMS gateway to the Sidecar database. */
  withSidecar: z.coerce.boolean().default(true),
  vpcCidr: z.string().default("10.40.0.0/16"),
  /** One NAT gateway per AZ survives an AZ outage; one alone is cheaper. */
  natGateways: z.coerce.number().int().min(1).max(2).default(2),
  messagingInstanceType: z.string().default("t3.medium"),
  processingInstanceType: z.string().default("c6i.large"),
  reportingInstanceType: z.string().default("m6i.large"),
  // At least one: backlog per instance divides by the instances in service.
  processingMinInstances: z.coerce.number().int().min(1).default(1),
  processingMaxInstances: z.coerce.number().int().min(1).default(6),
  reportingMinInstances: z.coerce.number().int().min(1).default(1),
  reportingMaxInstances: z.coerce.number().int().min(1).default(4),
  /** Messages waiting per instance that the processing group aims at (target tracking). */
  processingBacklogPerInstance: z.coerce.number().positive().default(4),
  reportingBacklogPerInstance: z.coerce.number().positive().default(10),
  /** The SES sending domain (DKIM-signed) and the domain of the ingest addresses. */
  mailDomain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/),
  /** Local parts of the From address and of the live and training ingest addresses. */
  mailFromLocalPart: z.string().default("laporan"),
  mailFromName: z.string().default("iSIKHNAS"),
  ingestLocalPart: z.string().default("laporan"),
  trainingIngestLocalPart: z.string().default("latihan"),
  alertEmail: email,
  /** The administrators' phones: every alarm texts them too (SNS SMS), and the monitor texts them. */
  adminPhones: phones.default([]),
  /** The off-site monitor's address (its stack's output, as a /32): the messaging host's daemon ports admit it. */
  monitorCidr: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "an IPv4 CIDR, e.g. 203.0.113.7/32")
    .optional(),
  /** Where the release artefact (a .tar.gz of /opt/isikhnas) is read from. */
  releaseBucket: z.string().min(3),
  releaseKey: z.string().min(1).default("releases/isikhnas-current.tar.gz"),
  /**
   * Pins the hosts' AMI. Unset, the latest Ubuntu 24.04 is resolved at each deploy, and a
   * new one replaces the messaging host: pin it in production.
   */
  hostImageId: z
    .string()
    .regex(/^ami-[0-9a-f]+$/)
    .optional(),
  /** smsd's modem device: "/dev/ttyUSB0" (USB over IP) or "@host:port" (network modem). Unset: smsd waits. */
  modemDevice: z.string().optional(),
  /** Days CloudWatch Logs keeps the daemons' lines: one of the values CloudWatch allows. */
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((days) => LOG_RETENTION_DAYS.includes(days), {
      message: `one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .default(90),
  /** Error lines (level ≥ 50) of one daemon within 5 minutes that raise its alarm. */
  logErrorAlarmThreshold: z.coerce.number().int().min(1).default(1),
  /** Node.js on the hosts: an LTS line the project supports (22 or later; tested on 24). */
  nodeVersion: z
    .string()
    .regex(/^(2[2-9]|[3-9]\d)\.\d+\.\d+$/, "a Node.js version 22.x.y or later")
    .default("24.22.3"),
});

const trainingSchema = z.object({
  environment: z.literal("training"),
  ...common,
  prefix: prefix.default("isikhnas-training-"),
  // The Sidecar is rebuilt from live every week: small, single-AZ, short backups.
  databaseInstanceType: z.string().default("t4g.medium"),
  databaseAllocatedStorageGb: common.databaseAllocatedStorageGb.default(50),
  databaseMaxAllocatedStorageGb: common.databaseMaxAllocatedStorageGb.default(200),
  databaseMultiAz: common.databaseMultiAz.default(false),
  databaseBackupRetentionDays: common.databaseBackupRetentionDays.default(3),
  backupRetentionDays: common.backupRetentionDays.default(7),
  deletionProtection: common.deletionProtection.default(false),
});

export const settingsSchema = z.discriminatedUnion("environment", [liveSchema, trainingSchema]);

export type LiveSettings = z.output<typeof liveSchema>;
export type SidecarSettings = z.output<typeof trainingSchema>;
export type DeploymentSettings = LiveSettings | SidecarSettings;

export class SettingsError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid deployment settings:\n  ${problems.join("\n  ")}`);
    this.name = "SettingsError";
  }
}

/** Validates raw settings (strings from `cdk -c key=value` or objects); one error names every problem. */
export function parseSettings(raw: Record<string, unknown>): DeploymentSettings {
  const cleaned = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ""),
  );
  // "false" from the command line must not coerce to true.
  for (const [key, value] of Object.entries(cleaned)) {
    if (value === "false") cleaned[key] = false;
    if (value === "true") cleaned[key] = true;
  }
  const result = settingsSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new SettingsError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "(settings)"}: ${issue.message}`),
  );
}

/** The live settings' address of a local part in the mail domain. */
export function mailAddress(settings: LiveSettings, localPart: string): string {
  return `${localPart}@${settings.mailDomain}`;
}

/**
 * The off-site monitor's settings (context `monitor`, or `-c monitor.<setting>=…`): its own
 * region, never live's, so what takes live down leaves the monitor up.
 */
export const monitorSettingsSchema = z.object({
  region: z.string().min(1),
  instanceType: z.string().default("t3.micro"),
  vpcCidr: z.string().default("10.90.0.0/24"),
  /** Who is texted; live's adminPhones when unset. */
  adminPhones: phones.optional(),
  /** The daemons' /readyz the monitor can reach: `name=http://<messaging host address>:9401/readyz,…`. */
  readyzUrls: z.string().default(""),
  intervalSeconds: z.coerce.number().int().min(5).default(30),
  failuresToOpen: z.coerce.number().int().min(1).default(3),
  queueMaxAgeSeconds: z.coerce.number().positive().default(900),
  hostImageId: z
    .string()
    .regex(/^ami-[0-9a-f]+$/)
    .optional(),
});

export type MonitorSettings = z.output<typeof monitorSettingsSchema>;

export function parseMonitorSettings(raw: Record<string, unknown>, live: LiveSettings): MonitorSettings {
  const cleaned = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = monitorSettingsSchema.safeParse(cleaned);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `monitor.${issue.path.join(".") || "(settings)"}: ${issue.message}`);
  if (result.success) {
    if (result.data.region === live.region)
      problems.push(
        `monitor.region: must differ from live's region (${live.region}): the monitor watches from outside`,
      );
    if (!(result.data.adminPhones ?? live.adminPhones).length)
      problems.push("monitor.adminPhones: at least one phone (or live.adminPhones)");
  }
  if (problems.length || !result.success) throw new SettingsError(problems);
  return result.data;
}
