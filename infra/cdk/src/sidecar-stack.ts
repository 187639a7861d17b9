// The training Sidecar: its own, smaller PostgreSQL instance with 12-hourly backups, in the
// live network so the live messaging and processing hosts reach it. Its credentials'
// secret name is what the live daemons' settings name (TRAINING_DATABASE_URL).
import { CfnOutput, type aws_ec2 as ec2, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { TwelveHourBackups } from "./constructs/backups.js";
import { PostgresDatabase } from "./constructs/database.js";
import { databaseSecretName } from "./names.js";
import type { SidecarSettings } from "./settings.js";

export interface SidecarStackProps extends StackProps {
  settings: SidecarSettings;
  vpc: ec2.IVpc;
  /** Security groups of the hosts that may connect (the live app hosts). */
  clients: readonly ec2.ISecurityGroup[];
}

export class SidecarStack extends Stack {
  readonly database: PostgresDatabase;

  constructor(scope: Construct, id: string, props: SidecarStackProps) {
    const settings = props.settings;
    super(scope, id, {
      ...props,
      env: { region: settings.region, ...(settings.account ? { account: settings.account } : {}) },
      description: "iSIKHNAS training Sidecar: its own PostgreSQL database",
    });
    const prefix = settings.prefix;
    this.database = new PostgresDatabase(this, "Database", {
      vpc: props.vpc,
      clients: props.clients,
      secretName: databaseSecretName(prefix),
      instanceType: settings.databaseInstanceType,
      allocatedStorageGb: settings.databaseAllocatedStorageGb,
      maxAllocatedStorageGb: settings.databaseMaxAllocatedStorageGb,
      multiAz: settings.databaseMultiAz,
      backupRetentionDays: settings.databaseBackupRetentionDays,
      deletionProtection: settings.deletionProtection,
      performanceInsights: false,
    });
    new TwelveHourBackups(this, "Backups", {
      vaultName: `${prefix}backups`,
      planName: `${prefix}every-12-hours`,
      retentionDays: settings.backupRetentionDays,
      databases: [this.database.primary],
      retainVault: settings.deletionProtection,
    });
    new CfnOutput(this, "DatabaseEndpoint", {
      value: this.database.primary.instanceEndpoint.hostname,
      description: "Sidecar PostgreSQL (TRAINING_DATABASE_URL, the training sms-gateway's DATABASE_URL)",
    });
    new CfnOutput(this, "DatabaseSecret", {
      value: this.database.primary.secret?.secretArn ?? "",
      description: "credentials of the Sidecar database",
    });
  }
}
