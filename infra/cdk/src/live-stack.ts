// The live deployment: network, PostgreSQL primary and replica with 12-hourly backups,
// queues, buckets, SES, the messaging host and the processing and reporting groups, and
// one role per daemon. The training Sidecar's database is a stack of its own.
import { BUCKETS, QUEUES, type QueueName } from "@isikhnas/platform";
import {
  CfnOutput,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions,
  Duration,
  aws_ec2 as ec2,
  aws_iam as iam,
  SecretValue,
  Stack,
  type StackProps,
  aws_secretsmanager as secrets,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Alerts } from "./constructs/alerts.js";
import { DataBuckets } from "./constructs/buckets.js";
import { DaemonRole } from "./constructs/daemon-roles.js";
import {
  DaemonSettings,
  type DaemonSettingsDocument,
  type DatabaseRef,
} from "./constructs/daemon-settings.js";
import type { PostgresDatabase } from "./constructs/database.js";
import { hostImage, hostUserData } from "./constructs/host-setup.js";
import { DaemonGroup, grantHostBasics, MessagingHost } from "./constructs/hosts.js";
import { agentConfig, DaemonLogs } from "./constructs/logs.js";
import { Mail } from "./constructs/mail.js";
import { DAEMON_PORTS, Network } from "./constructs/network.js";
import { OperatorAccess } from "./constructs/operator.js";
import { WorkQueues } from "./constructs/queues.js";
import { TransactionalSms } from "./constructs/transactional-sms.js";
import { type DaemonSpec, type DatabaseTarget, daemonCatalogue, type HostKind } from "./daemons.js";
import { environmentDatabase } from "./environment-database.js";
import { databaseSecretName, settingsParameterPath } from "./names.js";
import { type LiveSettings, mailAddress } from "./settings.js";

/** WAL the training slot may hold on live before someone is told: 10 GiB. */
export const TRAINING_SLOT_ALARM_BYTES = 10 * 1024 ** 3;

export interface LiveStackProps extends StackProps {
  settings: LiveSettings;
}

export class LiveStack extends Stack {
  readonly settings: LiveSettings;
  readonly network: Network;
  readonly database: PostgresDatabase;
  readonly queues: WorkQueues;
  readonly buckets: DataBuckets;
  readonly mail: Mail;
  readonly daemons: readonly DaemonSpec[];
  readonly roles: Record<string, iam.Role>;
  readonly settingsParameters: Record<string, DaemonSettings>;
  readonly messagingHostRole: iam.Role;
  readonly messagingHost: MessagingHost;
  readonly processing: DaemonGroup;
  readonly reporting: DaemonGroup;
  readonly logs: DaemonLogs;
  readonly operator: OperatorAccess;

  constructor(scope: Construct, id: string, props: LiveStackProps) {
    const settings = props.settings;
    super(scope, id, {
      ...props,
      env: { region: settings.region, ...(settings.account ? { account: settings.account } : {}) },
      description: "iSIKHNAS live: network, PostgreSQL, queues, buckets, SES, hosts and daemon roles",
    });
    this.settings = settings;
    const prefix = settings.prefix;
    const release = { bucket: settings.releaseBucket, key: settings.releaseKey };

    const alerts = new Alerts(this, "Alerts", {
      topicName: `${prefix}alerts`,
      email: settings.alertEmail,
      phones: settings.adminPhones,
    });
    if (settings.adminPhones.length) new TransactionalSms(this, "TransactionalSms");
    this.network = new Network(this, "Network", {
      cidr: settings.vpcCidr,
      natGateways: settings.natGateways,
    });
    const vpc = this.network.vpc;
    if (settings.monitorCidr) {
      // The off-site monitor reads the messaging host's /readyz (plain HTTP: readiness only, no data).
      this.network.messagingHosts.addIngressRule(
        ec2.Peer.ipv4(settings.monitorCidr),
        DAEMON_PORTS,
        "readiness for the off-site monitor",
      );
    }

    this.database = environmentDatabase(this, settings, {
      vpc,
      clients: this.network.appHosts,
      performanceInsights: true,
      replicaInstanceType: settings.replicaInstanceType,
      logicalReplication: settings.withSidecar,
    });
    if (settings.withSidecar) {
      // The Sidecar's slot keeps WAL on live until training has it: a subscription stopped by
      // a conflict, or a Sidecar down, fills live's disk. Alarm well before that.
      new cloudwatch.Alarm(this, "TrainingSlotAlarm", {
        alarmName: `${prefix}training-replication-slot`,
        alarmDescription:
          "WAL held on live for the training Sidecar's slot: run `isikhnas training status` (a disabled subscription, or a dead slot to drop)",
        metric: new cloudwatch.Metric({
          namespace: "AWS/RDS",
          metricName: "OldestReplicationSlotLag",
          dimensionsMap: { DBInstanceIdentifier: this.database.primary.instanceIdentifier },
          statistic: "Maximum",
          period: Duration.minutes(5),
        }),
        threshold: TRAINING_SLOT_ALARM_BYTES,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new cloudwatchActions.SnsAction(alerts.topic));
    }

    this.queues = new WorkQueues(this, "Queues", { prefix, alerts: alerts.topic });
    this.buckets = new DataBuckets(this, "Buckets", { prefix, retain: settings.deletionProtection });

    const ingestAddress = mailAddress(settings, settings.ingestLocalPart);
    const trainingIngestAddress = mailAddress(settings, settings.trainingIngestLocalPart);
    this.mail = new Mail(this, "Mail", {
      prefix,
      domain: settings.mailDomain,
      ingestAddresses: settings.withSidecar ? [ingestAddress, trainingIngestAddress] : [ingestAddress],
      rawmail: this.buckets.buckets.rawmail,
      mailinbound: this.queues.queues.mailinbound,
      alerts: alerts.topic,
    });
    const fromAddress = mailAddress(settings, settings.mailFromLocalPart);

    // Placeholder values: operators put the bots' tokens in after the first deploy.
    const botTokens = new secrets.Secret(this, "BotTokens", {
      secretName: `${prefix}telegram`,
      description: "Telegram bot tokens of im-bridge: {live, training}",
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ live: "", training: "" })),
    });
    const primarySecret = this.database.primary.secret;
    if (!primarySecret) throw new Error("the primary database has no generated secret");
    const sidecarSecret = settings.withSidecar
      ? secrets.Secret.fromSecretNameV2(
          this,
          "SidecarDatabaseSecret",
          databaseSecretName(settings.sidecarPrefix),
        )
      : undefined;

    const databaseRef = (target: DatabaseTarget): DatabaseRef => {
      switch (target) {
        case "live":
          return { secret: primarySecret.secretArn };
        case "live-replica": {
          const replica = this.database.replica;
          return replica
            ? { secret: primarySecret.secretArn, host: replica.instanceEndpoint.hostname }
            : { secret: primarySecret.secretArn };
        }
        case "sidecar":
          // By name: the Sidecar stack is deployed after this one and owns the secret.
          return { secret: databaseSecretName(settings.sidecarPrefix) };
      }
    };

    this.daemons = daemonCatalogue({
      ingestAddress,
      trainingIngestAddress,
      mailFrom: `${settings.mailFromName} <${fromAddress}>`,
      configurationSet: this.mail.configurationSet.configurationSetName,
      withSidecar: settings.withSidecar,
    });

    this.logs = new DaemonLogs(this, "Logs", {
      prefix,
      daemons: this.daemons,
      retentionDays: settings.logRetentionDays,
      errorAlarmThreshold: settings.logErrorAlarmThreshold,
      alerts: alerts.topic,
      retain: settings.deletionProtection,
    });

    // The shared messaging host's own role may do nothing but become one of its daemons
    // (and what every host needs). Each daemon's env file names its profile in
    // /etc/isikhnas/aws-config, so the SDK assumes that daemon's role: one role per daemon
    // on a shared host. See the README for what this does and does not isolate.
    this.messagingHostRole = new iam.Role(this, "MessagingHostRole", {
      roleName: `${prefix}messaging-host`,
      description: "iSIKHNAS messaging host: assumes its daemons' roles only",
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
    });
    grantHostBasics(this.messagingHostRole, release);

    this.roles = {};
    this.settingsParameters = {};
    const parameterPath = settingsParameterPath(prefix);
    for (const daemon of this.daemons) {
      const onSharedHost = daemon.host === "messaging";
      const document: DaemonSettingsDocument = {
        env: {
          ISIKHNAS_ENV: daemon.environment,
          AWS_REGION: settings.region,
          RESOURCE_PREFIX: prefix,
          // Reachable from the VPC for health checks and metrics; the security groups keep it there.
          HTTP_HOST: "0.0.0.0",
          HTTP_PORT: String(daemon.httpPort),
          LOG_LEVEL: "info",
          ...(onSharedHost ? { AWS_CONFIG_FILE: "/etc/isikhnas/aws-config", AWS_PROFILE: daemon.name } : {}),
          ...daemon.settings,
        },
        databases: Object.fromEntries(
          Object.entries(daemon.databases).map(([name, target]) => [name, databaseRef(target)]),
        ),
        secrets: daemon.readsBotTokens
          ? {
              TELEGRAM_BOT_TOKEN: { secret: botTokens.secretArn, key: "live" },
              ...(settings.withSidecar
                ? { TELEGRAM_BOT_TOKEN_TRAINING: { secret: botTokens.secretArn, key: "training" } }
                : {}),
            }
          : {},
      };
      const parameter = new DaemonSettings(this, `${daemon.name}-settings`, {
        parameterName: `${parameterPath}${daemon.name}`,
        daemon,
        document,
      });
      const targets = new Set(Object.values(daemon.databases));
      const readable = [
        ...(targets.has("live") || targets.has("live-replica") ? [primarySecret] : []),
        ...(targets.has("sidecar") && sidecarSecret ? [sidecarSecret] : []),
        ...(daemon.readsBotTokens ? [botTokens] : []),
      ];
      const { role } = new DaemonRole(this, `${daemon.name}-role`, {
        roleName: `${prefix}${daemon.name}`,
        daemon,
        assumedBy: onSharedHost
          ? new iam.ArnPrincipal(this.messagingHostRole.roleArn)
          : new iam.ServicePrincipal("ec2.amazonaws.com"),
        queues: this.queues.queues,
        buckets: this.buckets.buckets,
        settingsParameter: parameter.parameter,
        secrets: readable,
        mail: {
          identityArn: this.mail.identity.emailIdentityArn,
          configurationSetArn: this.formatArn({
            service: "ses",
            resource: "configuration-set",
            resourceName: this.mail.configurationSet.configurationSetName,
          }),
          fromAddress,
        },
      });
      // A host with this daemon alone uses the daemon's role as its instance role, which
      // its CloudWatch agent ships the daemon's log file with.
      if (!onSharedHost) {
        grantHostBasics(role, release);
        this.logs.grantShipping(role, [daemon]);
      }
      this.roles[daemon.name] = role;
      this.settingsParameters[daemon.name] = parameter;
    }

    const onHost = (host: HostKind) => this.daemons.filter((daemon) => daemon.host === host);
    const roleOf = (name: string): iam.Role => {
      const role = this.roles[name];
      if (!role) throw new Error(`no role for ${name}`);
      return role;
    };
    const shared = onHost("messaging");
    this.operator = new OperatorAccess(this, "Operator", {
      prefix,
      parameterPath,
      region: settings.region,
      queues: this.queues.queues,
      deadLetterQueues: this.queues.deadLetterQueues,
      database: { ref: databaseRef("live"), secret: primarySecret },
      assumedBy: this.messagingHostRole,
      daemonUrls: shared.map((daemon) => `${daemon.name}=http://127.0.0.1:${daemon.httpPort}`),
    });
    // The messaging host's agent runs with the host's own role: its daemons' groups only.
    this.logs.grantShipping(this.messagingHostRole, shared);
    this.messagingHostRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["sts:AssumeRole"],
        resources: [...shared.map((daemon) => roleOf(daemon.name).roleArn), this.operator.role.roleArn],
      }),
    );
    const awsConfig = [
      ...shared.map(
        (daemon) =>
          `[profile ${daemon.name}]\nrole_arn = ${roleOf(daemon.name).roleArn}\ncredential_source = Ec2InstanceMetadata\nrole_session_name = ${daemon.name}\n`,
      ),
      this.operator.awsConfigProfile(),
    ].join("\n");

    const image = hostImage(settings.region, settings.hostImageId);
    const setup = {
      region: settings.region,
      parameterPath,
      releaseBucket: settings.releaseBucket,
      releaseKey: settings.releaseKey,
      nodeVersion: settings.nodeVersion,
    };
    this.messagingHost = new MessagingHost(this, "MessagingHost", {
      vpc,
      securityGroup: this.network.messagingHosts,
      instanceType: settings.messagingInstanceType,
      image,
      role: this.messagingHostRole,
      userData: hostUserData({
        ...setup,
        daemons: shared,
        awsConfig,
        withSmstools: true,
        modemDevice: settings.modemDevice,
        agentConfig: agentConfig(prefix, shared),
      }),
    });

    const group = (id: string, host: HostKind, queue: QueueName, sizing: GroupSizing): DaemonGroup => {
      const daemons = onHost(host);
      const [daemon] = daemons;
      if (!daemon || daemons.length !== 1) throw new Error(`${host} hosts run exactly one daemon`);
      return new DaemonGroup(this, id, {
        vpc,
        securityGroup: host === "processing" ? this.network.processingHosts : this.network.reportingHosts,
        image,
        role: roleOf(daemon.name),
        userData: hostUserData({
          ...setup,
          daemons,
          withSmstools: false,
          agentConfig: agentConfig(prefix, daemons),
        }),
        queue: this.queues.queues[queue],
        ...sizing,
      });
    };
    this.processing = group("Processing", "processing", "emailinput", {
      instanceType: settings.processingInstanceType,
      minInstances: settings.processingMinInstances,
      maxInstances: settings.processingMaxInstances,
      backlogPerInstance: settings.processingBacklogPerInstance,
    });
    this.reporting = group("Reporting", "reporting", "reportrequest", {
      instanceType: settings.reportingInstanceType,
      minInstances: settings.reportingMinInstances,
      maxInstances: settings.reportingMaxInstances,
      backlogPerInstance: settings.reportingBacklogPerInstance,
    });

    this.outputs({ parameterPath, botTokens });
  }

  private outputs(extra: { parameterPath: string; botTokens: secrets.ISecret }): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    for (const name of QUEUES) {
      output(`QueueUrl-${name}`, this.queues.queues[name].queueUrl, `${name} queue URL`);
      output(
        `DeadLetterQueueUrl-${name}`,
        this.queues.deadLetterQueues[name].queueUrl,
        `${name} dead-letter queue URL`,
      );
    }
    for (const name of BUCKETS)
      output(`Bucket-${name}`, this.buckets.buckets[name].bucketName, `${name} bucket`);
    output(
      "DatabaseEndpoint",
      this.database.primary.instanceEndpoint.hostname,
      "PostgreSQL primary (DATABASE_URL)",
    );
    if (this.database.replica) {
      output(
        "DatabaseReadEndpoint",
        this.database.replica.instanceEndpoint.hostname,
        "read replica (DATABASE_READ_URL)",
      );
    }
    output("DatabaseSecret", this.database.primary.secret?.secretArn ?? "", "credentials of the primary");
    output("SettingsParameterPath", extra.parameterPath, "daemon settings parameters (JSON), one per daemon");
    for (const [name, parameter] of Object.entries(this.settingsParameters)) {
      output(
        `Settings-${name}`,
        parameter.parameter.parameterName,
        `settings of ${name} (/etc/isikhnas/${name}.env)`,
      );
    }
    output(
      "ConsoleSecret",
      this.operator.consoleSecret.secretArn,
      "the ops console's password ({password}); `isikhnas-write-env ops` puts it in ops.env",
    );
    output(
      "BotTokensSecret",
      extra.botTokens.secretArn,
      "put the Telegram bot tokens here: {live, training}",
    );
    output("MessagingHostAddress", this.messagingHost.address.ref, "Elastic IP of the messaging host");
    output(
      "MessagingHostInstance",
      this.messagingHost.instance.instanceId,
      "aws ssm start-session --target <this>",
    );
    output(
      "ReceiptRuleSet",
      this.mail.ruleSetName,
      "activate: aws ses set-active-receipt-rule-set --rule-set-name <this>",
    );
    output("ConfigurationSet", this.mail.configurationSet.configurationSetName, "SES_CONFIGURATION_SET");
    const identity = this.mail.identity;
    const dkim = [
      [identity.dkimDnsTokenName1, identity.dkimDnsTokenValue1],
      [identity.dkimDnsTokenName2, identity.dkimDnsTokenValue2],
      [identity.dkimDnsTokenName3, identity.dkimDnsTokenValue3],
    ] as const;
    dkim.forEach(([name, value], index) => {
      output(
        `DkimRecord${index + 1}`,
        `${name} CNAME ${value}`,
        "DNS record that verifies the sending domain",
      );
    });
  }
}

interface GroupSizing {
  instanceType: string;
  minInstances: number;
  maxInstances: number;
  backlogPerInstance: number;
}
