import { readFileSync } from "node:fs";
import {
  BUCKETS,
  DEFAULT_MAX_RECEIVE_COUNT,
  deadLetterQueueName,
  physicalBucketName,
  physicalQueueName,
  QUEUES,
} from "@isikhnas/platform";
import type { CfnElement } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { createInfraApp } from "./app.js";
import { hostLogFile, logGroupName, QUERY_PLACEHOLDER } from "./constructs/logs.js";
import type { LiveStack } from "./live-stack.js";
import { TEST_PREFIX, TEST_SIDECAR_PREFIX, testContext } from "./testing/context.js";
import { actionsOf, allowing, resourcesOf, statementsOf } from "./testing/policies.js";

type Resource = { Type: string; Properties: Record<string, unknown> };

let live: LiveStack;
let template: Template;

// One synthesis for the whole file: a stack takes seconds to synthesise.
beforeAll(() => {
  live = createInfraApp({ context: testContext() }).live;
  template = Template.fromStack(live);
});

function logicalId(construct: IConstruct): string {
  return live.getLogicalId(construct.node.defaultChild as CfnElement);
}

function resourcesOfType(type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

function roleId(daemon: string): string {
  const role = live.roles[daemon];
  if (!role) throw new Error(`no role ${daemon}`);
  return logicalId(role);
}

describe("queues", () => {
  it("gives every queue a dead-letter queue after five receives, encrypted, under the app's names", () => {
    template.resourceCountIs("AWS::SQS::Queue", QUEUES.length * 2);
    for (const name of QUEUES) {
      const [[dlqId]] = [
        Object.entries(
          template.findResources("AWS::SQS::Queue", {
            Properties: { QueueName: deadLetterQueueName(TEST_PREFIX, name) },
          }),
        ),
      ] as [[string, unknown][]];
      expect(dlqId, `${name} dead-letter queue`).toBeDefined();
      template.hasResourceProperties("AWS::SQS::Queue", {
        QueueName: physicalQueueName(TEST_PREFIX, name),
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": [dlqId?.[0], "Arn"] },
          maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
        },
      });
      template.hasResourceProperties("AWS::SQS::Queue", {
        QueueName: deadLetterQueueName(TEST_PREFIX, name),
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    }
    expect(DEFAULT_MAX_RECEIVE_COUNT).toBe(5);
  });

  it("keeps emailinput invisible longest (Excel imports), the heartbeat extending it", () => {
    const visibility = (name: string) =>
      resourcesOfType("AWS::SQS::Queue").find(
        ([, queue]) => queue.Properties.QueueName === physicalQueueName(TEST_PREFIX, name),
      )?.[1].Properties.VisibilityTimeout as number;
    expect(visibility("emailinput")).toBeGreaterThanOrEqual(900);
    expect(visibility("emailinput")).toBeGreaterThan(visibility("emailoutput"));
    expect(visibility("emailinput")).toBeGreaterThan(visibility("mailinbound"));
  });

  it("alarms on any dead letter and on old messages, to the topic that mails the operators", () => {
    const alertTopic = template.findResources("AWS::SNS::Topic", {
      Properties: { TopicName: `${TEST_PREFIX}alerts` },
    });
    const [topicId] = Object.keys(alertTopic);
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@isikhnas.example.id",
      TopicArn: { Ref: topicId },
    });
    for (const name of QUEUES) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: "ApproximateNumberOfMessagesVisible",
        Namespace: "AWS/SQS",
        Dimensions: [
          {
            Name: "QueueName",
            Value: { "Fn::GetAtt": [Match.stringLikeRegexp(`Queues${name}dlq`), "QueueName"] },
          },
        ],
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [{ Ref: topicId }],
      });
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: "ApproximateAgeOfOldestMessage",
        Dimensions: [
          { Name: "QueueName", Value: { "Fn::GetAtt": [logicalId(live.queues.queues[name]), "QueueName"] } },
        ],
        AlarmActions: [{ Ref: topicId }],
      });
    }
  });
});

describe("buckets", () => {
  it("names the five buckets as the app does, private, encrypted and TLS only", () => {
    template.resourceCountIs("AWS::S3::Bucket", BUCKETS.length);
    for (const name of BUCKETS) {
      const id = logicalId(live.buckets.buckets[name]);
      template.hasResource("AWS::S3::Bucket", {
        Properties: {
          BucketName: physicalBucketName(TEST_PREFIX, name),
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
            ],
          },
        },
        DeletionPolicy: "Retain",
      });
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Principal: { AWS: "*" },
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });

  it("expires queuefiles and rawmail after 90 days and reports after a year", () => {
    const rules = (name: string) =>
      (
        template.toJSON().Resources[logicalId(live.buckets.buckets[name as "reports"])].Properties
          .LifecycleConfiguration.Rules as { ExpirationInDays?: number }[]
      )
        .map((rule) => rule.ExpirationInDays)
        .filter(Boolean);
    expect(rules("queuefiles")).toEqual([90]);
    expect(rules("rawmail")).toEqual([90]);
    expect(rules("reports")).toEqual([365]);
    expect(rules("images")).toEqual([]);
  });
});

describe("database", () => {
  it("runs an encrypted Multi-AZ PostgreSQL 15 primary with deletion protection and timeouts", () => {
    template.hasResourceProperties("AWS::RDS::DBInstance", {
      Engine: "postgres",
      EngineVersion: "15",
      MultiAZ: true,
      StorageEncrypted: true,
      DeletionProtection: true,
      PubliclyAccessible: false,
      BackupRetentionPeriod: Match.anyValue(),
      DBParameterGroupName: { Ref: Match.stringLikeRegexp("DatabaseParameters") },
    });
    template.hasResourceProperties("AWS::RDS::DBParameterGroup", {
      Family: "postgres15",
      Parameters: Match.objectLike({
        statement_timeout: Match.anyValue(),
        idle_in_transaction_session_timeout: Match.anyValue(),
        "rds.force_ssl": "1",
      }),
    });
  });

  it("adds a read replica of the primary, which report-generator reads as DATABASE_READ_URL", () => {
    const primaryId = logicalId(live.database.primary);
    const replica = live.database.replica;
    expect(replica).toBeDefined();
    template.hasResourceProperties("AWS::RDS::DBInstance", {
      SourceDBInstanceIdentifier: { "Fn::Join": ["", Match.arrayWith([{ Ref: primaryId }])] },
      StorageType: "gp3",
    });
    template.resourceCountIs("AWS::RDS::DBInstance", 2);

    const settings = live.settingsParameters["report-generator"]?.document;
    expect(live.resolve(settings?.databases.DATABASE_READ_URL?.host)).toEqual({
      "Fn::GetAtt": [logicalId(replica as IConstruct), "Endpoint.Address"],
    });
    expect(settings?.databases.DATABASE_URL?.host).toBeUndefined();
    expect(settings?.env.REPORTREQUEST_VISIBILITY_SECONDS).toBe("900");
  });

  it("keeps the credentials in Secrets Manager under the deployment's name", () => {
    template.hasResourceProperties("AWS::SecretsManager::Secret", { Name: `${TEST_PREFIX}database` });
  });

  it("backs the primary up every 12 hours with AWS Backup", () => {
    template.hasResourceProperties("AWS::Backup::BackupPlan", {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({ ScheduleExpression: "cron(0 0/12 * * ? *)" })],
      },
    });
    template.hasResourceProperties("AWS::Backup::BackupSelection", {
      BackupSelection: {
        Resources: [
          Match.objectLike({
            "Fn::Join": Match.arrayWith([Match.arrayWith([{ Ref: logicalId(live.database.primary) }])]),
          }),
        ],
      },
    });
  });
});

describe("SES", () => {
  it("verifies the sending domain with DKIM and a configuration set", () => {
    template.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: "isikhnas.example.id",
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: logicalId(live.mail.configurationSet) } },
    });
  });

  it("stores inbound mail in rawmail and notifies the topic the mailinbound queue subscribes to", () => {
    const topicId = logicalId(live.mail.inboundTopic);
    template.hasResourceProperties("AWS::SES::ReceiptRule", {
      Rule: {
        Recipients: ["laporan@isikhnas.example.id", "latihan@isikhnas.example.id"],
        ScanEnabled: true,
        Actions: [
          {
            S3Action: {
              BucketName: { Ref: logicalId(live.buckets.buckets.rawmail) },
              ObjectKeyPrefix: "ses/",
              TopicArn: { Ref: topicId },
            },
          },
        ],
      },
    });
    const subscriptions = resourcesOfType("AWS::SNS::Subscription").filter(
      ([, subscription]) => subscription.Properties.Protocol === "sqs",
    );
    expect(subscriptions).toHaveLength(1);
    const [[, subscription]] = subscriptions as [[string, Resource]];
    expect(subscription.Properties.TopicArn).toEqual({ Ref: topicId });
    expect(subscription.Properties.Endpoint).toEqual({
      "Fn::GetAtt": [logicalId(live.queues.queues.mailinbound), "Arn"],
    });
    // The SNS envelope arrives, as email-ingest expects.
    expect(subscription.Properties.RawMessageDelivery ?? false).toBe(false);
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: "sns:Publish", Principal: { Service: "ses.amazonaws.com" } }),
        ]),
      },
    });
  });
});

describe("hosts", () => {
  it("scales each group on its queue's backlog per instance", () => {
    const cases = [
      [live.processing, "emailinput"],
      [live.reporting, "reportrequest"],
    ] as const;
    for (const [group, queue] of cases) {
      const groupId = logicalId(group.group);
      template.hasResourceProperties("AWS::AutoScaling::ScalingPolicy", {
        AutoScalingGroupName: { Ref: groupId },
        PolicyType: "TargetTrackingScaling",
        TargetTrackingConfiguration: {
          CustomizedMetricSpecification: {
            Metrics: [
              Match.objectLike({
                Id: "visible",
                MetricStat: Match.objectLike({
                  Metric: {
                    Namespace: "AWS/SQS",
                    MetricName: "ApproximateNumberOfMessagesVisible",
                    Dimensions: [
                      {
                        Name: "QueueName",
                        Value: { "Fn::GetAtt": [logicalId(live.queues.queues[queue]), "QueueName"] },
                      },
                    ],
                  },
                }),
              }),
              Match.objectLike({
                Id: "inService",
                MetricStat: Match.objectLike({
                  Metric: {
                    Namespace: "AWS/AutoScaling",
                    MetricName: "GroupInServiceInstances",
                    Dimensions: [{ Name: "AutoScalingGroupName", Value: { Ref: groupId } }],
                  },
                }),
              }),
              Match.objectLike({
                Id: "backlogPerInstance",
                Expression: "visible / inService",
                ReturnData: true,
              }),
            ],
          },
          TargetValue: Match.anyValue(),
        },
      });
      template.hasResource("AWS::AutoScaling::AutoScalingGroup", {
        Properties: Match.objectLike({
          MetricsCollection: [{ Granularity: "1Minute", Metrics: ["GroupInServiceInstances"] }],
          VPCZoneIdentifier: Match.anyValue(),
        }),
      });
    }
  });

  it("runs each group's hosts as its daemon's role, the messaging host as a role that only assumes its daemons' (and ships logs)", () => {
    const profileRoles = resourcesOfType("AWS::IAM::InstanceProfile").map(
      ([, profile]) => profile.Properties.Roles,
    );
    expect(profileRoles).toContainEqual([{ Ref: roleId("excel-processor") }]);
    expect(profileRoles).toContainEqual([{ Ref: roleId("report-generator") }]);
    const hostRoleId = logicalId(live.messagingHostRole);
    expect(profileRoles).toContainEqual([{ Ref: hostRoleId }]);

    const hostStatements = statementsOf(template, hostRoleId);
    const assumable = allowing(hostStatements, "sts:AssumeRole").flatMap(resourcesOf);
    const shared = live.daemons.filter((daemon) => daemon.host === "messaging").map((daemon) => daemon.name);
    expect(assumable).toEqual([
      ...shared.map((name) => ({ "Fn::GetAtt": [roleId(name), "Arn"] })),
      { "Fn::GetAtt": [logicalId(live.operator.role), "Arn"] },
    ]);
    // And what its CloudWatch agent needs to ship its daemons' log files (see "logs").
    expect(hostStatements.flatMap(actionsOf).sort()).toEqual([
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
      "s3:GetObject",
      "sts:AssumeRole",
    ]);

    for (const name of shared) {
      template.hasResourceProperties("AWS::IAM::Role", {
        RoleName: `${TEST_PREFIX}${name}`,
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { AWS: { "Fn::GetAtt": [hostRoleId, "Arn"] } } })],
        },
      });
    }
  });

  it("requires IMDSv2, uses no key pair, and sets the messaging host's daemons up from the release", () => {
    const [[, instance]] = resourcesOfType("AWS::EC2::Instance") as [[string, Resource]];
    expect(instance.Properties.KeyName).toBeUndefined();
    const userData = JSON.stringify(instance.Properties.UserData);
    expect(userData).toContain(
      "DAEMONS='email-ingest:email-ingest email-sender:email-sender sms-gateway:sms-gateway im-bridge:im-bridge sms-gateway-training:sms-gateway im-bridge-training:im-bridge'",
    );
    expect(userData).toContain("credential_source = Ec2InstanceMetadata");
    expect(userData).toContain("isikhnas-write-env");
    for (const [, launchTemplate] of resourcesOfType("AWS::EC2::LaunchTemplate")) {
      expect(JSON.stringify(launchTemplate.Properties)).toContain('"HttpTokens":"required"');
      expect(
        (launchTemplate.Properties.LaunchTemplateData as Record<string, unknown>).KeyName,
      ).toBeUndefined();
    }
    template.hasResourceProperties("AWS::EC2::EIP", {
      InstanceId: { Ref: logicalId(live.messagingHost.instance) },
    });
  });
});

describe("daemon roles", () => {
  it("lets email-sender send raw mail from the configured address only, and excel-processor not at all", () => {
    const sender = allowing(statementsOf(template, roleId("email-sender")), "ses:SendRawEmail");
    expect(sender).toHaveLength(1);
    expect(sender[0]?.Condition).toEqual({
      StringEquals: { "ses:FromAddress": "laporan@isikhnas.example.id" },
    });
    for (const name of live.daemons.map((daemon) => daemon.name).filter((name) => name !== "email-sender")) {
      const ses = statementsOf(template, roleId(name))
        .flatMap(actionsOf)
        .filter((action) => action.startsWith("ses:"));
      expect(ses, name).toEqual([]);
    }
  });

  it("lets email-sender receive emailoutput and send to it (a waiting message's delayed copy), no other queue", () => {
    const statements = statementsOf(template, roleId("email-sender"));
    const queue = (name: (typeof QUEUES)[number]) => logicalId(live.queues.queues[name]);
    expect(allowing(statements, "sqs:ReceiveMessage", queue("emailoutput"))).toHaveLength(1);
    expect(allowing(statements, "sqs:SendMessage").flatMap(resourcesOf)).toEqual([
      { "Fn::GetAtt": [queue("emailoutput"), "Arn"] },
    ]);
  });

  it("lets excel-processor receive emailinput and send emailoutput and reportrequest, and nothing of rawmail", () => {
    const statements = statementsOf(template, roleId("excel-processor"));
    const queue = (name: (typeof QUEUES)[number]) => logicalId(live.queues.queues[name]);
    expect(allowing(statements, "sqs:ReceiveMessage", queue("emailinput"))).toHaveLength(1);
    expect(allowing(statements, "sqs:DeleteMessage", queue("emailinput"))).toHaveLength(1);
    expect(allowing(statements, "sqs:SendMessage", queue("emailoutput"))).toHaveLength(1);
    expect(allowing(statements, "sqs:SendMessage", queue("reportrequest"))).toHaveLength(1);
    expect(allowing(statements, "sqs:ReceiveMessage").flatMap(resourcesOf)).toEqual([
      { "Fn::GetAtt": [queue("emailinput"), "Arn"] },
    ]);
    expect(allowing(statements, "sqs:SendMessage", queue("mailinbound"))).toEqual([]);

    const rawmail = logicalId(live.buckets.buckets.rawmail);
    expect(statements.filter((statement) => JSON.stringify(statement.Resource).includes(rawmail))).toEqual(
      [],
    );
    expect(allowing(statements, "s3:GetObject", logicalId(live.buckets.buckets.queuefiles))).toHaveLength(1);
    // Its error workbooks only, not the rest of emailattachments.
    const puts = allowing(statements, "s3:PutObject").flatMap(resourcesOf);
    expect(puts).toEqual([
      {
        "Fn::Join": [
          "",
          [{ "Fn::GetAtt": [logicalId(live.buckets.buckets.emailattachments), "Arn"] }, "/errors/*"],
        ],
      },
    ]);
  });

  it("grants no daemon anything on every resource, and each only its own settings parameter", () => {
    for (const daemon of live.daemons) {
      const statements = statementsOf(template, roleId(daemon.name));
      expect(statements.flatMap(resourcesOf), daemon.name).not.toContain("*");
      const parameters = allowing(statements, "ssm:GetParameter").flatMap(resourcesOf);
      expect(parameters, daemon.name).toHaveLength(1);
      expect(JSON.stringify(parameters)).toContain(
        logicalId(live.settingsParameters[daemon.name]?.parameter as IConstruct),
      );
    }
  });

  it("lets the daemons that serve training read the Sidecar's secret by name, and the others not", () => {
    const sidecarSecret = `secret:${TEST_SIDECAR_PREFIX}database-??????`;
    for (const daemon of live.daemons) {
      const reads = allowing(
        statementsOf(template, roleId(daemon.name)),
        "secretsmanager:GetSecretValue",
        sidecarSecret,
      );
      const servesTraining = Object.values(daemon.databases).includes("sidecar");
      expect(reads.length > 0, daemon.name).toBe(servesTraining);
    }
    expect(live.daemons.find((daemon) => daemon.name === "email-sender")?.databases).toEqual({
      DATABASE_URL: "live",
    });
  });
});

describe("operators", () => {
  const queueArns = (names: readonly string[]) =>
    names.map((name) => {
      const [id] =
        Object.entries(template.findResources("AWS::SQS::Queue", { Properties: { QueueName: name } }))[0] ??
        [];
      return { "Fn::GetAtt": [id, "Arn"] };
    });

  it("gives the console a generated password the ops settings name, not a value in the parameter", () => {
    template.hasResourceProperties("AWS::SecretsManager::Secret", {
      Name: `${TEST_PREFIX}console`,
      GenerateSecretString: Match.objectLike({ GenerateStringKey: "password", PasswordLength: 32 }),
    });
    const document = live.operator.settings.document;
    expect(document.secrets.CONSOLE_PASSWORD?.key).toBe("password");
    expect(document.env).toMatchObject({
      AWS_PROFILE: "ops",
      CONSOLE_QUEUE_AGE_SOURCE: "cloudwatch",
      RESOURCE_PREFIX: TEST_PREFIX,
    });
    expect(document.env.CONSOLE_DAEMON_URLS).toContain("sms-gateway=http://127.0.0.1:");
    expect(Object.keys(document.databases)).toEqual(["DATABASE_URL"]);
    expect(JSON.stringify(template.findResources("AWS::SSM::Parameter"))).not.toMatch(/"password"\s*:/);
  });

  it("lets operators redrive and ask for reports, read queue ages, and nothing else on queues", () => {
    const statements = statementsOf(template, logicalId(live.operator.role));
    const queueNames = QUEUES.map((name) => physicalQueueName(TEST_PREFIX, name));
    const deadLetterNames = QUEUES.map((name) => deadLetterQueueName(TEST_PREFIX, name));
    const on = (action: string) => allowing(statements, action).flatMap(resourcesOf);
    expect(on("sqs:SendMessage")).toEqual(queueArns(queueNames));
    expect(on("sqs:DeleteMessage")).toEqual(queueArns(deadLetterNames));
    expect(on("sqs:ReceiveMessage")).toEqual(queueArns(deadLetterNames));
    expect(on("sqs:GetQueueAttributes")).toEqual(queueArns([...queueNames, ...deadLetterNames]));
    expect(on("cloudwatch:GetMetricData")).toEqual(["*"]);
    // The one action on every resource is GetMetricData, which takes none.
    const everywhere = statements.filter((statement) => resourcesOf(statement).includes("*"));
    expect(everywhere.flatMap(actionsOf)).toEqual(["cloudwatch:GetMetricData"]);
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith("s3:"))).toEqual([]);
    expect(allowing(statements, "secretsmanager:GetSecretValue")).toHaveLength(2);
  });

  it("is assumed by the messaging host through the ops profile of its AWS config", () => {
    template.hasResourceProperties("AWS::IAM::Role", {
      RoleName: `${TEST_PREFIX}ops`,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: { "Fn::GetAtt": [logicalId(live.messagingHostRole), "Arn"] } },
          }),
        ],
      },
    });
    expect(live.operator.awsConfigProfile()).toMatch(/^\[profile ops\]\nrole_arn = /);
  });
});

describe("logs", () => {
  const groupName = (daemon: { environment: string; unit: string }) =>
    `/isikhnas-test/${daemon.environment}/${daemon.unit}`;
  const groupIdOf = (name: string): string => {
    const group = live.logs.groups[name];
    if (!group) throw new Error(`no log group for ${name}`);
    return logicalId(group);
  };

  it("keeps one log group per daemon and environment for 90 days, kept when the stack goes", () => {
    expect(live.daemons.map(groupName).sort()).toEqual([
      "/isikhnas-test/live/email-ingest",
      "/isikhnas-test/live/email-sender",
      "/isikhnas-test/live/excel-processor",
      "/isikhnas-test/live/im-bridge",
      "/isikhnas-test/live/report-generator",
      "/isikhnas-test/live/sms-gateway",
      "/isikhnas-test/training/im-bridge",
      "/isikhnas-test/training/sms-gateway",
    ]);
    template.resourceCountIs("AWS::Logs::LogGroup", live.daemons.length);
    for (const daemon of live.daemons) {
      expect(logGroupName(TEST_PREFIX, daemon)).toBe(groupName(daemon));
      template.hasResource("AWS::Logs::LogGroup", {
        Properties: { LogGroupName: groupName(daemon), RetentionInDays: 90 },
        DeletionPolicy: "Retain",
      });
    }
  });

  it("takes the retention from the settings, and refuses a period CloudWatch does not offer", () => {
    const shorter = Template.fromStack(
      createInfraApp({ context: testContext({ logRetentionDays: "30" }) }).live,
    );
    shorter.hasResourceProperties("AWS::Logs::LogGroup", {
      LogGroupName: "/isikhnas-test/live/email-sender",
      RetentionInDays: 30,
    });
    expect(() => createInfraApp({ context: testContext({ logRetentionDays: "42" }) })).toThrow(
      /logRetentionDays: one of CloudWatch Logs' retention periods/,
    );
  });

  it("counts error and fatal lines of each group and alarms on the first, to the operators' topic", () => {
    const [topicId] = Object.keys(
      template.findResources("AWS::SNS::Topic", { Properties: { TopicName: `${TEST_PREFIX}alerts` } }),
    );
    template.resourceCountIs("AWS::Logs::MetricFilter", live.daemons.length);
    for (const daemon of live.daemons) {
      const metricName = `${daemon.environment}-${daemon.unit}-errors`;
      template.hasResourceProperties("AWS::Logs::MetricFilter", {
        LogGroupName: { Ref: groupIdOf(daemon.name) },
        FilterPattern: '{ ($.level = "error") || ($.level = "fatal") }',
        MetricTransformations: [
          {
            MetricNamespace: "isikhnas-test/logs",
            MetricName: metricName,
            MetricValue: "1",
            DefaultValue: 0,
          },
        ],
      });
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "isikhnas-test/logs",
        MetricName: metricName,
        Statistic: "Sum",
        Period: 300,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
        AlarmActions: [{ Ref: topicId }],
      });
    }
  });

  it("saves Logs Insights queries across every group: one correlation id, one masked sender, errors", () => {
    const queries = resourcesOfType("AWS::Logs::QueryDefinition").map(([, query]) => query.Properties);
    expect(queries.map((query) => query.Name).sort()).toEqual([
      "isikhnas-test/errors in the last hour",
      "isikhnas-test/one message by correlationId",
      "isikhnas-test/one sender (masked) by sender",
    ]);
    const everyGroup = live.daemons.map((daemon) => ({ Ref: groupIdOf(daemon.name) }));
    for (const query of queries) expect(query.LogGroupNames).toEqual(everyGroup);
    const byName = (name: string) =>
      String(queries.find((query) => query.Name === `isikhnas-test/${name}`)?.QueryString);
    expect(byName("one message by correlationId")).toContain(
      `| filter correlationId = "${QUERY_PLACEHOLDER.correlationId}"`,
    );
    expect(byName("one message by correlationId")).toContain("| sort @timestamp asc");
    expect(byName("one sender (masked) by sender")).toContain(
      `| filter sender = "${QUERY_PLACEHOLDER.sender}"`,
    );
    expect(byName("errors in the last hour")).toContain('| filter level in ["error", "fatal"]');
  });

  it("lets each host's CloudWatch agent write streams into its own daemons' groups, and create none", () => {
    const writes = (roleLogicalId: string) =>
      allowing(statementsOf(template, roleLogicalId), "logs:PutLogEvents").flatMap(resourcesOf);
    const arnOf = (name: string) => ({ "Fn::GetAtt": [groupIdOf(name), "Arn"] });
    const shared = live.daemons.filter((daemon) => daemon.host === "messaging").map((daemon) => daemon.name);
    expect(writes(logicalId(live.messagingHostRole))).toEqual(shared.map(arnOf));
    expect(writes(roleId("excel-processor"))).toEqual([arnOf("excel-processor")]);
    expect(writes(roleId("report-generator"))).toEqual([arnOf("report-generator")]);
    // The daemons on the shared host write nothing themselves: the agent does, as the host.
    for (const name of shared) expect(writes(roleId(name)), name).toEqual([]);
    const everyAction = resourcesOfType("AWS::IAM::Policy").flatMap(([, policy]) =>
      (
        policy.Properties.PolicyDocument as { Statement: Parameters<typeof actionsOf>[0][] }
      ).Statement.flatMap(actionsOf),
    );
    expect(everyAction).not.toContain("logs:CreateLogGroup");
    expect(everyAction).not.toContain("logs:PutRetentionPolicy");
  });

  it("configures each host's agent to ship its daemons' files, and each unit appends to that file", () => {
    const [[, instance]] = resourcesOfType("AWS::EC2::Instance") as [[string, Resource]];
    const userData = JSON.stringify(instance.Properties.UserData);
    expect(userData).toContain("cat >/etc/isikhnas/cloudwatch-agent.json");
    for (const daemon of live.daemons.filter((each) => each.host === "messaging")) {
      expect(userData).toContain(JSON.stringify(`"file_path": "${hostLogFile(daemon)}"`).slice(1, -1));
      expect(userData).toContain(JSON.stringify(`"log_group_name": "${groupName(daemon)}"`).slice(1, -1));
    }
    expect(userData).toContain(
      JSON.stringify('"file_path": "/var/log/isikhnas/sms-gateway-training.log"').slice(1, -1),
    );
    const processing = JSON.stringify(
      resourcesOfType("AWS::EC2::LaunchTemplate").find(([id]) => id.startsWith("Processing"))?.[1],
    );
    expect(processing).toContain("/var/log/isikhnas/excel-processor.log");
    expect(processing).not.toContain("/var/log/isikhnas/email-sender.log");

    const setup = readFileSync(new URL("../host/setup.sh", import.meta.url), "utf8");
    expect(setup).toContain("amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s");
    // A second instance of a unit (sms-gateway-training) appends to its own file.
    expect(setup).toContain('-e "s#/var/log/isikhnas/$unit.log#/var/log/isikhnas/$name.log#"');
    for (const unit of new Set(live.daemons.map((daemon) => daemon.unit))) {
      const text = readFileSync(new URL(`../../systemd/${unit}.service`, import.meta.url), "utf8");
      expect(text, unit).toContain(`StandardOutput=append:${hostLogFile({ name: unit })}`);
      expect(text, unit).toContain(`StandardError=append:${hostLogFile({ name: unit })}`);
    }
  });
});

describe("network", () => {
  it("spans two availability zones with public and private subnets", () => {
    template.resourceCountIs("AWS::EC2::Subnet", 4);
    template.resourceCountIs("AWS::EC2::NatGateway", 2);
  });

  it("opens neither SSH nor PostgreSQL to the internet, and PostgreSQL only to the app hosts", () => {
    type Rule = {
      CidrIp?: string;
      CidrIpv6?: string;
      FromPort?: number;
      ToPort?: number;
      SourceSecurityGroupId?: unknown;
      GroupId?: unknown;
    };
    const rules: Rule[] = [
      ...resourcesOfType("AWS::EC2::SecurityGroup").flatMap(
        ([, group]) => (group.Properties.SecurityGroupIngress ?? []) as Rule[],
      ),
      ...resourcesOfType("AWS::EC2::SecurityGroupIngress").map(([, rule]) => rule.Properties as Rule),
    ];
    expect(rules.length).toBeGreaterThan(0);
    const covers = (rule: Rule, port: number) =>
      (rule.FromPort ?? 0) <= port && port <= (rule.ToPort ?? 65535);
    for (const rule of rules) {
      expect(rule.CidrIp === "0.0.0.0/0" || rule.CidrIpv6 === "::/0", JSON.stringify(rule)).toBe(false);
      expect(covers(rule, 22), JSON.stringify(rule)).toBe(false);
    }
    const postgres = rules.filter((rule) => covers(rule, 5432));
    expect(postgres).toHaveLength(3);
    const appHosts = live.network.appHosts.map((group) => ({ "Fn::GetAtt": [logicalId(group), "GroupId"] }));
    expect(postgres.map((rule) => rule.SourceSecurityGroupId)).toEqual(appHosts);
    expect(postgres.every((rule) => rule.CidrIp === undefined)).toBe(true);
  });
});

describe("outputs", () => {
  it("publishes queue URLs, bucket names, both database endpoints and the settings parameters", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const names = Object.keys(outputs);
    for (const queue of QUEUES) expect(names).toContain(`QueueUrl${queue}`);
    for (const bucket of BUCKETS) expect(names).toContain(`Bucket${bucket}`);
    expect(names).toEqual(
      expect.arrayContaining(["DatabaseEndpoint", "DatabaseReadEndpoint", "SettingsParameterPath"]),
    );
    for (const daemon of live.daemons) expect(names).toContain(`Settings${daemon.name.replaceAll("-", "")}`);
    expect(outputs.SettingsParameterPath?.Value).toBe("/isikhnas-test/env/");
  });
});
