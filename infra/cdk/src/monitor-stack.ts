// The off-site monitor: one small host in a region of its own (its own VPC, no NAT, no
// database), running apps/monitor. It reads live's queue attributes across regions, the
// messaging host's /readyz over its Elastic IP, and texts the administrators through SNS in
// its own region, so an outage of live's region or of anything live runs leaves it able to.
import {
  Aws,
  CfnOutput,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
  type StackProps,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import { DaemonSettings } from "./constructs/daemon-settings.js";
import { hostImage, hostUserData } from "./constructs/host-setup.js";
import { grantHostBasics, MessagingHost } from "./constructs/hosts.js";
import { agentConfig, logGroupName } from "./constructs/logs.js";
import { TransactionalSms } from "./constructs/transactional-sms.js";
import type { DaemonSpec } from "./daemons.js";
import { settingsParameterPath } from "./names.js";
import type { LiveSettings, MonitorSettings } from "./settings.js";

export const MONITOR_HTTP_PORT = 9490;

export interface MonitorStackProps extends StackProps {
  live: LiveSettings;
  settings: MonitorSettings;
}

export class MonitorStack extends Stack {
  readonly host: MessagingHost;
  readonly role: iam.Role;
  readonly settingsParameter: DaemonSettings;

  constructor(scope: Construct, id: string, props: MonitorStackProps) {
    const { live, settings } = props;
    super(scope, id, {
      ...props,
      env: { region: settings.region, ...(live.account ? { account: live.account } : {}) },
      description: `iSIKHNAS off-site monitor of ${live.prefix.replace(/-$/, "")} (in ${live.region}): checks and priority SMS`,
    });
    const prefix = `${live.prefix}monitor-`;
    const vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(settings.vpcCidr),
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26 }],
    });
    const securityGroup = new ec2.SecurityGroup(this, "HostGroup", {
      vpc,
      description:
        "off-site monitor: outbound only (AWS APIs, the messaging host readiness); reached through SSM",
      allowAllOutbound: true,
    });

    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
      description: "off-site monitor: reads live's queue attributes, texts the administrators",
    });
    grantHostBasics(this.role, { bucket: live.releaseBucket, key: live.releaseKey });
    const liveQueues = `arn:${Aws.PARTITION}:sqs:${live.region}:${Aws.ACCOUNT_ID}:${live.prefix}*`;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Attributes only: a receive would change what it looks at.
        actions: ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
        resources: [liveQueues],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // ApproximateAgeOfOldestMessage in live's region; GetMetricData takes no resource.
        actions: ["cloudwatch:GetMetricData"],
        resources: ["*"],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // SMS straight to a phone number has no topic ARN to scope it to.
        actions: ["sns:Publish"],
        notResources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
      }),
    );

    const parameterPath = settingsParameterPath(prefix);
    const daemon: DaemonSpec = {
      name: "monitor",
      unit: "monitor",
      host: "messaging",
      httpPort: MONITOR_HTTP_PORT,
      receives: [],
      sends: [],
      reads: [],
      writes: [],
      databases: {},
      sendsMail: false,
      readsBotTokens: false,
      settings: {},
      environment: "live",
    };
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["ssm:GetParameter"],
        resources: [
          `arn:${Aws.PARTITION}:ssm:${settings.region}:${Aws.ACCOUNT_ID}:parameter${parameterPath}monitor`,
        ],
      }),
    );
    this.settingsParameter = new DaemonSettings(this, "Settings", {
      parameterName: `${parameterPath}monitor`,
      daemon,
      document: {
        env: {
          // SQS calls go to live's region; SMS leaves from the monitor's own.
          AWS_REGION: live.region,
          MONITOR_SNS_REGION: settings.region,
          RESOURCE_PREFIX: live.prefix,
          HTTP_HOST: "127.0.0.1",
          HTTP_PORT: String(MONITOR_HTTP_PORT),
          MONITOR_INTERVAL_MS: String(settings.intervalSeconds * 1000),
          MONITOR_FAILURES_TO_OPEN: String(settings.failuresToOpen),
          MONITOR_QUEUE_MAX_AGE_SECONDS: String(settings.queueMaxAgeSeconds),
          MONITOR_QUEUE_AGE_SOURCE: "cloudwatch",
          MONITOR_READYZ_URLS: settings.readyzUrls,
          // systemd's StateDirectory=isikhnas-monitor.
          MONITOR_STORE_PATH: "/var/lib/isikhnas-monitor/monitor.sqlite",
          MONITOR_NOTIFY: "sns",
          MONITOR_ADMIN_PHONES: (settings.adminPhones ?? live.adminPhones).join(","),
          NODE_ENV: "production",
        },
        databases: {},
        secrets: {},
      },
    });

    // Its log group in its own region, beside it: the monitor's lines must survive live's region.
    const logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: logGroupName(prefix, daemon),
      retention: live.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        resources: [logGroup.logGroupArn],
      }),
    );

    new TransactionalSms(this, "TransactionalSms");
    this.host = new MessagingHost(this, "Host", {
      vpc,
      securityGroup,
      instanceType: settings.instanceType,
      image: hostImage(settings.region, settings.hostImageId),
      role: this.role,
      userData: hostUserData({
        region: settings.region,
        parameterPath,
        releaseBucket: live.releaseBucket,
        releaseKey: live.releaseKey,
        nodeVersion: live.nodeVersion,
        daemons: [daemon],
        withSmstools: false,
        agentConfig: agentConfig(prefix, [daemon]),
      }),
    });

    new CfnOutput(this, "MonitorAddress", {
      value: this.host.address.ref,
      description:
        "the monitor's address: deploy live with -c live.monitorCidr=<this>/32 so it may read /readyz",
    });
    new CfnOutput(this, "MonitorInstance", {
      value: this.host.instance.instanceId,
      description: "aws ssm start-session --target <this>; then isikhnas monitor status",
    });
  }
}
