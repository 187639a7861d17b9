// The training Sidecar: its own, smaller PostgreSQL instance with 12-hourly backups, in the
// live network so the live messaging and processing hosts reach it. Its credentials'
// secret name is what the live daemons' settings name (TRAINING_DATABASE_URL).
import { CfnOutput, type aws_ec2 as ec2, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { PostgresDatabase } from "./constructs/database.js";
import { environmentDatabase } from "./environment-database.js";
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
    this.database = environmentDatabase(this, settings, {
      vpc: props.vpc,
      clients: props.clients,
      performanceInsights: false,
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
