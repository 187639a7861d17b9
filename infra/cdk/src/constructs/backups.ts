// Backups every 12 hours through AWS Backup, on top of RDS automated backups: recovery
// points that outlive the instance and can be copied or locked independently of it.

import type { aws_rds as rds } from "aws-cdk-lib";
import { aws_backup as backup, Duration, aws_events as events, RemovalPolicy } from "aws-cdk-lib";
import { Construct } from "constructs";

export interface TwelveHourBackupsProps {
  vaultName: string;
  planName: string;
  retentionDays: number;
  databases: readonly rds.IDatabaseInstance[];
  retainVault: boolean;
}

export class TwelveHourBackups extends Construct {
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: TwelveHourBackupsProps) {
    super(scope, id);
    const vault = new backup.BackupVault(this, "Vault", {
      backupVaultName: props.vaultName,
      removalPolicy: props.retainVault ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.plan = new backup.BackupPlan(this, "Plan", {
      backupPlanName: props.planName,
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: "every-12-hours",
          // 00:00 and 12:00 UTC: 07:00 and 19:00 in Jakarta.
          scheduleExpression: events.Schedule.cron({ minute: "0", hour: "0/12" }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(6),
          deleteAfter: Duration.days(props.retentionDays),
        }),
      ],
    });
    this.plan.addSelection("Databases", {
      resources: props.databases.map((database) => backup.BackupResource.fromRdsDatabaseInstance(database)),
    });
  }
}
