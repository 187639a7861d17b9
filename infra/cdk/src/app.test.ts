import type { CfnElement } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { createInfraApp, type InfraApp } from "./app.js";
import { TEST_SIDECAR_PREFIX, testContext } from "./testing/context.js";

type Resource = { Type: string; Properties: Record<string, unknown> };

describe("the app with the training Sidecar", () => {
  let infra: InfraApp;
  let live: Template;
  let training: Template;

  // One synthesis for the describe block: both stacks in one go, as `cdk synth` does.
  beforeAll(() => {
    infra = createInfraApp({ context: testContext() });
    const assembly = infra.app.synth();
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
      "isikhnas-test",
      "isikhnas-test-training",
    ]);
    const sidecar = infra.sidecar;
    if (!sidecar) throw new Error("no Sidecar stack");
    live = Template.fromStack(infra.live);
    training = Template.fromStack(sidecar);
  });

  it("synthesises both environments into templates", () => {
    const assembly = infra.app.synth();
    for (const stack of assembly.stacks) {
      expect(Object.keys(stack.template.Resources).length, stack.stackName).toBeGreaterThan(5);
      expect(stack.environment.region).toBe("ap-southeast-3");
    }
  });

  it("gives training a database of its own: one smaller, single-AZ instance, no replica", () => {
    const instances = Object.values(training.findResources("AWS::RDS::DBInstance")) as Resource[];
    expect(instances).toHaveLength(1);
    const [sidecarDatabase] = instances;
    expect(sidecarDatabase?.Properties.MultiAZ).toBe(false);
    expect(sidecarDatabase?.Properties.SourceDBInstanceIdentifier).toBeUndefined();
    expect(sidecarDatabase?.Properties.DBInstanceClass).toBe("db.t4g.medium");
    expect(Number(sidecarDatabase?.Properties.AllocatedStorage)).toBeLessThan(
      Number(
        (
          Object.values(
            live.findResources("AWS::RDS::DBInstance", { Properties: { MultiAZ: true } }),
          )[0] as Resource
        ).Properties.AllocatedStorage,
      ),
    );
    training.hasResourceProperties("AWS::SecretsManager::Secret", { Name: `${TEST_SIDECAR_PREFIX}database` });
    training.hasResourceProperties("AWS::Backup::BackupPlan", {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ ScheduleExpression: "cron(0 0/12 * * ? *)" })] },
    });
  });

  it("lets training subscribe to live: logical replication on, a rule from the Sidecar, an alarm on the slot", () => {
    live.hasResourceProperties("AWS::RDS::DBParameterGroup", {
      Parameters: Match.objectLike({ "rds.logical_replication": "1" }),
    });
    training.hasResourceProperties("AWS::EC2::SecurityGroupIngress", {
      IpProtocol: "tcp",
      FromPort: 5432,
      ToPort: 5432,
      GroupId: Match.objectLike({ "Fn::ImportValue": Match.anyValue() }),
      SourceSecurityGroupId: Match.objectLike({ "Fn::GetAtt": Match.anyValue() }),
    });
    live.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/RDS",
      MetricName: "OldestReplicationSlotLag",
      Threshold: 10 * 1024 ** 3,
      AlarmActions: [Match.objectLike({ Ref: Match.anyValue() })],
    });
  });

  it("keeps queues, buckets, SES and hosts out of the training stack", () => {
    for (const type of [
      "AWS::SQS::Queue",
      "AWS::S3::Bucket",
      "AWS::SES::ReceiptRule",
      "AWS::EC2::Instance",
      "AWS::AutoScaling::AutoScalingGroup",
      "AWS::EC2::VPC",
    ]) {
      training.resourceCountIs(type, 0);
    }
  });

  it("admits the live app hosts, and no one else, to the training database", () => {
    // Rules into the training database's own group (the fourth is the Sidecar's way out to live).
    const rules = (
      Object.values(training.findResources("AWS::EC2::SecurityGroupIngress")) as Resource[]
    ).filter((rule) => "Fn::GetAtt" in (rule.Properties.GroupId as object));
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      expect(rule.Properties.FromPort).toBe(5432);
      expect(rule.Properties.CidrIp).toBeUndefined();
      expect(rule.Properties.SourceSecurityGroupId).toEqual({
        "Fn::ImportValue": expect.stringContaining("isikhnas-test"),
      });
    }
    const groups = infra.live.network.appHosts.map((group) =>
      infra.live.getLogicalId(group.node.defaultChild as CfnElement),
    );
    const exported = JSON.stringify(live.toJSON().Outputs);
    for (const group of groups) expect(exported).toContain(group);
  });

  it("names in live's settings the secret the training stack creates", () => {
    const ingest = infra.live.settingsParameters["email-ingest"]?.document;
    expect(ingest?.databases.TRAINING_DATABASE_URL).toEqual({ secret: `${TEST_SIDECAR_PREFIX}database` });
    expect(ingest?.env.INGEST_ADDRESS_TRAINING).toBe("latihan@isikhnas.example.id");
    const trainingGateway = infra.live.settingsParameters["sms-gateway-training"]?.document;
    expect(trainingGateway?.env.ISIKHNAS_ENV).toBe("training");
    expect(trainingGateway?.databases).toEqual({
      DATABASE_URL: { secret: `${TEST_SIDECAR_PREFIX}database` },
    });
    // The training bot is a bridge of its own on the Sidecar, with the training token.
    const trainingBot = infra.live.settingsParameters["im-bridge-training"]?.document;
    expect(trainingBot?.env.ISIKHNAS_ENV).toBe("training");
    expect(trainingBot?.databases).toEqual({ DATABASE_URL: { secret: `${TEST_SIDECAR_PREFIX}database` } });
    expect(Object.keys(trainingBot?.secrets ?? {})).toContain("TELEGRAM_BOT_TOKEN_TRAINING");
  });
});

describe("the app without the Sidecar", () => {
  it("synthesises live alone, with no training routes", () => {
    const infra = createInfraApp({ context: testContext({ withSidecar: "false" }) });
    const assembly = infra.app.synth();
    expect(assembly.stacks.map((stack) => stack.stackName)).toEqual(["isikhnas-test"]);
    expect(infra.sidecar).toBeUndefined();
    const live = Template.fromStack(infra.live);
    expect(JSON.stringify(live.findResources("AWS::RDS::DBParameterGroup"))).not.toContain(
      "logical_replication",
    );
    expect(JSON.stringify(live.findResources("AWS::CloudWatch::Alarm"))).not.toContain(
      "OldestReplicationSlotLag",
    );
    const names = infra.live.daemons.map((daemon) => daemon.name);
    expect(names).not.toContain("sms-gateway-training");
    expect(names).not.toContain("im-bridge-training");
    for (const daemon of infra.live.daemons) {
      expect(Object.values(daemon.databases), daemon.name).not.toContain("sidecar");
    }
    const ingest = infra.live.settingsParameters["email-ingest"]?.document;
    expect(ingest?.env.INGEST_ADDRESS_TRAINING).toBeUndefined();
    Template.fromStack(infra.live).hasResourceProperties("AWS::SES::ReceiptRule", {
      Rule: Match.objectLike({ Recipients: ["laporan@isikhnas.example.id"] }),
    });
  });
});
