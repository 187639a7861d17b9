import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { createInfraApp, type InfraApp } from "./app.js";
import { type LiveSettings, parseMonitorSettings, parseSettings } from "./settings.js";
import { TEST_PREFIX, testContext } from "./testing/context.js";

const PHONES = ["+6281200000001", "+6281200000002"];

function liveSettings(extra: Record<string, unknown> = {}): LiveSettings {
  const settings = parseSettings({
    ...(testContext().live as Record<string, unknown>),
    environment: "live",
    ...extra,
  });
  if (settings.environment !== "live") throw new Error("expected live settings");
  return settings;
}

describe("the administrators' phones and the off-site monitor", () => {
  let infra: InfraApp;
  let live: Template;
  let monitor: Template;

  // One synthesis for the block (a live stack takes most of a minute on a busy machine).
  beforeAll(() => {
    infra = createInfraApp({
      context: {
        ...testContext({ adminPhones: PHONES, withSidecar: false, monitorCidr: "203.0.113.7/32" }),
        monitor: { region: "ap-southeast-1", readyzUrls: "sms-gateway=http://203.0.113.5:9405/readyz" },
      },
    });
    if (!infra.monitor) throw new Error("no monitor stack");
    live = Template.fromStack(infra.live);
    monitor = Template.fromStack(infra.monitor);
  });

  it("texts every alarm to the administrators' phones, as Transactional SMS", () => {
    for (const phone of PHONES)
      live.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "sms", Endpoint: phone });
    live.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email" });
    live.hasResourceProperties("Custom::AWS", {
      Create: Match.stringLikeRegexp('"action":"setSMSAttributes".*"DefaultSMSType":"Transactional"'),
    });
  });

  it("ships the monitor's log file to a log group in its own region, with retention", () => {
    monitor.hasResourceProperties("AWS::Logs::LogGroup", {
      LogGroupName: Match.stringLikeRegexp("/live/monitor$"),
      RetentionInDays: Match.anyValue(),
    });
    monitor.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          }),
        ]),
      }),
    });
  });

  it("takes phones as one string from the command line too, and refuses a number without +", () => {
    expect(liveSettings({ adminPhones: "+6281200000003, +6281200000004" }).adminPhones).toEqual([
      "+6281200000003",
      "+6281200000004",
    ]);
    expect(liveSettings().adminPhones).toEqual([]);
    expect(() => liveSettings({ adminPhones: "6281200000003" })).toThrow(/adminPhones.*E\.164/s);
  });

  it("puts the monitor in a region of its own, reading live's queue attributes and texting through SNS there", () => {
    const stack = infra.app.synth().getStackByName(`${TEST_PREFIX.replace(/-$/, "")}-monitor`);
    expect(stack.environment.region).toBe("ap-southeast-1");
    monitor.resourceCountIs("AWS::EC2::Instance", 1);
    monitor.resourceCountIs("AWS::EC2::NatGateway", 0);
    monitor.resourceCountIs("AWS::RDS::DBInstance", 0);
    monitor.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
            Resource: { "Fn::Join": ["", Match.arrayWith([Match.stringLikeRegexp(":sqs:ap-southeast-3:")])] },
          }),
          Match.objectLike({ Action: "cloudwatch:GetMetricData", Resource: "*" }),
          Match.objectLike({ Action: "sns:Publish", NotResource: Match.anyValue() }),
        ]),
      },
    });
    const [parameter] = Object.values(monitor.findResources("AWS::SSM::Parameter")) as {
      Properties: { Name: string; Value: unknown };
    }[];
    expect(parameter?.Properties.Name).toBe("/isikhnas-test-monitor/env/monitor");
    const document = JSON.stringify(parameter?.Properties.Value);
    for (const expected of [
      '\\"AWS_REGION\\":\\"ap-southeast-3\\"',
      '\\"MONITOR_SNS_REGION\\":\\"ap-southeast-1\\"',
      '\\"MONITOR_NOTIFY\\":\\"sns\\"',
      '\\"MONITOR_QUEUE_AGE_SOURCE\\":\\"cloudwatch\\"',
      `\\"MONITOR_ADMIN_PHONES\\":\\"${PHONES.join(",")}\\"`,
      '\\"MONITOR_READYZ_URLS\\":\\"sms-gateway=http://203.0.113.5:9405/readyz\\"',
    ])
      expect(document).toContain(expected);
    monitor.hasResourceProperties("Custom::AWS", {
      Create: Match.stringLikeRegexp('"DefaultSMSType":"Transactional"'),
    });
  });

  it("refuses a monitor in live's own region, or with nobody to text", () => {
    const settings = liveSettings({ adminPhones: PHONES });
    expect(parseMonitorSettings({ region: "ap-southeast-1" }, settings).region).toBe("ap-southeast-1");
    expect(() => parseMonitorSettings({ region: "ap-southeast-3" }, settings)).toThrow(
      /monitor\.region: must differ/,
    );
    expect(() => parseMonitorSettings({ region: "ap-southeast-1" }, liveSettings())).toThrow(
      /monitor\.adminPhones/,
    );
  });

  it("opens the messaging host's daemon ports to the monitor's address", () => {
    live.hasResourceProperties("AWS::EC2::SecurityGroup", {
      SecurityGroupIngress: Match.arrayWith([
        Match.objectLike({ CidrIp: "203.0.113.7/32", FromPort: 9400, ToPort: 9409 }),
      ]),
    });
  });
});
