// An environment's PostgreSQL instance with its 12-hourly backups, sized and protected as
// its settings say: one mapping of settings to resources for live and the training Sidecar.
import type { aws_ec2 as ec2 } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { TwelveHourBackups } from "./constructs/backups.js";
import { PostgresDatabase } from "./constructs/database.js";
import { databaseSecretName } from "./names.js";
import type { DeploymentSettings } from "./settings.js";

export interface EnvironmentDatabaseProps {
  vpc: ec2.IVpc;
  /** Security groups of the hosts that may connect. */
  clients: readonly ec2.ISecurityGroup[];
  performanceInsights: boolean;
  /** Instance type of a read replica; none when unset. */
  replicaInstanceType?: string;
  /** wal_level=logical: the training Sidecar subscribes to it. */
  logicalReplication?: boolean;
}

/** Adds the "Database" and its "Backups" to `stack`. */
export function environmentDatabase(
  stack: Construct,
  settings: DeploymentSettings,
  props: EnvironmentDatabaseProps,
): PostgresDatabase {
  const prefix = settings.prefix;
  const database = new PostgresDatabase(stack, "Database", {
    ...props,
    secretName: databaseSecretName(prefix),
    instanceType: settings.databaseInstanceType,
    allocatedStorageGb: settings.databaseAllocatedStorageGb,
    maxAllocatedStorageGb: settings.databaseMaxAllocatedStorageGb,
    multiAz: settings.databaseMultiAz,
    backupRetentionDays: settings.databaseBackupRetentionDays,
    deletionProtection: settings.deletionProtection,
  });
  new TwelveHourBackups(stack, "Backups", {
    vaultName: `${prefix}backups`,
    planName: `${prefix}every-12-hours`,
    retentionDays: settings.backupRetentionDays,
    databases: [database.primary],
    retainVault: settings.deletionProtection,
  });
  return database;
}
