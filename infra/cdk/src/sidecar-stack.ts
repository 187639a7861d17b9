// The training Sidecar: its own, smaller PostgreSQL instance with 12-hourly backups, in the
// live network so the live messaging and processing hosts reach it, and it reaches live's
// database (its subscription to live's users and infrastructure). Its credentials'
// secret name is what the live daemons' settings name (TRAINING_DATABASE_URL).
import { CfnOutput, aws_ec2 as ec2, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { PostgresDatabase } from "./constructs/database.js";
import { POSTGRES_PORT } from "./constructs/network.js";
import { environmentDatabase } from "./environment-database.js";
import type { SidecarSettings } from "./settings.js";

export interface SidecarStackProps extends StackProps {
  settings: SidecarSettings;
  vpc: ec2.IVpc;
  /** Security groups of the hosts that may connect (the live app hosts). */
  clients: readonly ec2.ISecurityGroup[];
  /** Live's database security group: the Sidecar's subscription connects to live. */
  liveDatabase: ec2.ISecurityGroup;
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
    // Logical replication: the Sidecar's instance connects to live's as a subscriber. The rule
    // lives in this stack, so live's template does not depend on the Sidecar's.
    new ec2.CfnSecurityGroupIngress(this, "SubscriptionToLive", {
      groupId: props.liveDatabase.securityGroupId,
      sourceSecurityGroupId: this.database.securityGroup.securityGroupId,
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description: "PostgreSQL from the training Sidecar (its subscription to users and infrastructure)",
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
