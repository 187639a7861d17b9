// One place to search the logs: a CloudWatch Logs group per daemon and environment with
// its retention, a metric and an alarm on error lines (pino level ≥ 50), and saved Logs
// Insights queries across every group (by correlation id, by masked sender, errors).
//
// How lines get there: each unit appends its stdout and stderr to
// /var/log/isikhnas/<daemon>.log (StandardOutput=append:) and the CloudWatch agent's file
// input ships each file to its group, one stream per instance. The agent's journald input
// is recent (aws/amazon-cloudwatch-agent#2121, 2026) and not in the agent's documented
// configuration; it also sends a journal entry as a document whose MESSAGE field holds our
// JSON line as a string, so neither metric filters nor Logs Insights would see `level` or
// `correlationId`. The file input is long documented and sends each JSON line as written,
// which CloudWatch parses into fields.

import {
  aws_cloudwatch_actions as actions,
  aws_cloudwatch as cloudwatch,
  Duration,
  aws_iam as iam,
  aws_logs as logs,
  RemovalPolicy,
  type aws_sns as sns,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import type { DaemonSpec } from "../daemons.js";
import { stackName } from "../names.js";

/** Where a unit appends its output on the host (infra/systemd/*.service). */
export function hostLogFile(daemon: Pick<DaemonSpec, "name">): string {
  return `/var/log/isikhnas/${daemon.name}.log`;
}

/** `/isikhnas-live/live/email-ingest`, `/isikhnas-live/training/sms-gateway`. */
export function logGroupName(prefix: string, daemon: Pick<DaemonSpec, "environment" | "unit">): string {
  return `/${stackName(prefix)}/${daemon.environment}/${daemon.unit}`;
}

/** The namespace of the error-line metrics: one metric per log group. */
export function logMetricNamespace(prefix: string): string {
  return `${stackName(prefix)}/logs`;
}

/** Saved queries' placeholders: replaced by the operator before running them. */
export const QUERY_PLACEHOLDER = { correlationId: "PUT-THE-CORRELATION-ID-HERE", sender: "62812*****890" };

export interface DaemonLogsProps {
  prefix: string;
  daemons: readonly DaemonSpec[];
  retentionDays: logs.RetentionDays;
  /** Error lines within 5 minutes that raise the alarm. */
  errorAlarmThreshold: number;
  alerts: sns.ITopic;
  /** Keep the groups when the stack is deleted (as the data buckets). */
  retain: boolean;
}

export class DaemonLogs extends Construct {
  /** Each daemon's group, by daemon name (sms-gateway-training → /…/training/sms-gateway). */
  readonly groups: Record<string, logs.LogGroup>;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly queries: Record<"byCorrelationId" | "bySender" | "errors", logs.QueryDefinition>;

  constructor(scope: Construct, id: string, props: DaemonLogsProps) {
    super(scope, id);
    const alarmAction = new actions.SnsAction(props.alerts);
    this.groups = {};
    const all: logs.LogGroup[] = [];
    for (const daemon of props.daemons) {
      const label = `${daemon.environment}-${daemon.unit}`;
      const group = new logs.LogGroup(this, label, {
        logGroupName: logGroupName(props.prefix, daemon),
        retention: props.retentionDays,
        removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      this.groups[daemon.name] = group;
      all.push(group);

      // pino writes the level as a label (the logger's formatter): error is 50, fatal 60.
      const filter = new logs.MetricFilter(this, `${label}-errors`, {
        logGroup: group,
        filterName: "error-lines",
        filterPattern: logs.FilterPattern.any(
          logs.FilterPattern.stringValue("$.level", "=", "error"),
          logs.FilterPattern.stringValue("$.level", "=", "fatal"),
        ),
        metricNamespace: logMetricNamespace(props.prefix),
        metricName: `${label}-errors`,
        metricValue: "1",
        // 0 when nothing matched, so the alarm sees a quiet daemon as fine, not as missing data.
        defaultValue: 0,
        unit: cloudwatch.Unit.COUNT,
      });
      const alarm = new cloudwatch.Alarm(this, `${label}-error-alarm`, {
        alarmName: `${props.prefix}${label} error log lines`,
        alarmDescription: `${daemon.unit} (${daemon.environment}) logged at least ${props.errorAlarmThreshold} error line(s) in 5 minutes: run the saved Logs Insights query "${stackName(props.prefix)}/errors in the last hour", then follow the lines' correlationId.`,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: props.errorAlarmThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(alarmAction);
      this.alarms.push(alarm);
    }

    // Insights opens on the last hour by default; a saved query keeps no time range.
    const folder = stackName(props.prefix);
    const fields = ["@timestamp", "@log", "level", "msg", "correlationId"];
    this.queries = {
      byCorrelationId: new logs.QueryDefinition(this, "ByCorrelationId", {
        queryDefinitionName: `${folder}/one message by correlationId`,
        logGroups: all,
        queryString: new logs.QueryString({
          fields,
          filterStatements: [`correlationId = "${QUERY_PLACEHOLDER.correlationId}"`],
          sort: "@timestamp asc",
          limit: 1000,
        }),
      }),
      bySender: new logs.QueryDefinition(this, "BySender", {
        queryDefinitionName: `${folder}/one sender (masked) by sender`,
        logGroups: all,
        queryString: new logs.QueryString({
          fields: [...fields, "sender"],
          filterStatements: [`sender = "${QUERY_PLACEHOLDER.sender}"`],
          sort: "@timestamp desc",
          limit: 1000,
        }),
      }),
      errors: new logs.QueryDefinition(this, "Errors", {
        queryDefinitionName: `${folder}/errors in the last hour`,
        logGroups: all,
        queryString: new logs.QueryString({
          fields: [...fields, "err.message"],
          filterStatements: [`level in ["error", "fatal"]`],
          sort: "@timestamp desc",
          limit: 1000,
        }),
      }),
    };
  }

  /** What the CloudWatch agent on a host needs to ship these daemons' files: streams in their groups. */
  grantShipping(role: iam.IRole, daemons: readonly Pick<DaemonSpec, "name">[]): void {
    const groups = daemons.map((daemon) => {
      const group = this.groups[daemon.name];
      if (!group) throw new Error(`no log group for ${daemon.name}`);
      return group;
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        // A group's Arn ends in ":*", which covers its streams.
        resources: groups.map((group) => group.logGroupArn),
      }),
    );
  }
}

/**
 * The CloudWatch agent's configuration for a host: each daemon's file to its group, one
 * stream per instance. Groups, retention and filters belong to the stack, not the agent.
 */
export function agentConfig(prefix: string, daemons: readonly DaemonSpec[]): string {
  return JSON.stringify(
    {
      agent: { run_as_user: "cwagent" },
      logs: {
        logs_collected: {
          files: {
            collect_list: daemons.map((daemon) => ({
              file_path: hostLogFile(daemon),
              log_group_name: logGroupName(prefix, daemon),
              log_stream_name: "{instance_id}",
            })),
          },
        },
        force_flush_interval: 5,
      },
    },
    null,
    2,
  );
}
