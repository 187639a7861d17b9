import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { createInfraApp } from "./app.js";
import { TEST_PREFIX, testContext } from "./testing/context.js";

const PHONES = ["+6281200000001", "+6281200000002"];

function build(monitor: Record<string, unknown> | undefined, live: Record<string, unknown> = {}) {
  const context = testContext({ adminPhones: PHONES, withSidecar: false, ...live });
  return createInfraApp({ context: monitor ? { ...context, monitor } : context });
}

describe("the administrators' phones and the off-site monitor", () => {
  it("texts every alarm to the administrators' phones, as Transactional SMS", () => {
    const { live, monitor } = build(undefined);
    expect(monitor).toBeUndefined();
    const template = Template.fromStack(live);
    for (const phone of PHONES)
      template.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "sms", Endpoint: phone });
    template.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email" });
    template.hasResourceProperties("Custom::AWS", {
      Create: Match.stringLikeRegexp('"action":"setSMSAttributes".*"DefaultSMSType":"Transactional"'),
    });
  });

  it("phones given as one string on the command line count too; a number without + is refused", () => {
    const { live } = build(undefined, { adminPhones: "+6281200000003, +6281200000004" });
    Template.fromStack(live).resourcePropertiesCountIs("AWS::SNS::Subscription", { Protocol: "sms" }, 2);
    expect(() => build(undefined, { adminPhones: "6281200000003" })).toThrow(/adminPhones.*E\.164/s);
  });

  it("puts the monitor in a region of its own, reading live's queue attributes and texting through SNS there", () => {
    const { app, monitor } = build({
      region: "ap-southeast-1",
      readyzUrls: "sms-gateway=http://203.0.113.5:9405/readyz",
    });
    if (!monitor) throw new Error("no monitor stack");
    const stack = app.synth().getStackByName(`${TEST_PREFIX.replace(/-$/, "")}-monitor`);
    expect(stack.environment.region).toBe("ap-southeast-1");
    const template = Template.fromStack(monitor);
    template.resourceCountIs("AWS::EC2::Instance", 1);
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::RDS::DBInstance", 0);
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
            Resource: {
              "Fn::Join": ["", Match.arrayWith([Match.stringLikeRegexp(`:sqs:ap-southeast-3:`)])],
            },
          }),
          Match.objectLike({ Action: "sns:Publish", NotResource: Match.anyValue() }),
        ]),
      },
    });
    const parameters = template.findResources("AWS::SSM::Parameter");
    const [parameter] = Object.values(parameters) as { Properties: { Name: string; Value: unknown } }[];
    expect(parameter?.Properties.Name).toBe("/isikhnas-test-monitor/env/monitor");
    const document = JSON.stringify(parameter?.Properties.Value);
    for (const expected of [
      '\\"AWS_REGION\\":\\"ap-southeast-3\\"',
      '\\"MONITOR_SNS_REGION\\":\\"ap-southeast-1\\"',
      '\\"MONITOR_NOTIFY\\":\\"sns\\"',
      `\\"MONITOR_ADMIN_PHONES\\":\\"${PHONES.join(",")}\\"`,
      '\\"MONITOR_READYZ_URLS\\":\\"sms-gateway=http://203.0.113.5:9405/readyz\\"',
    ])
      expect(document).toContain(expected);
    template.hasResourceProperties("Custom::AWS", {
      Create: Match.stringLikeRegexp('"DefaultSMSType":"Transactional"'),
    });
  });

  it("refuses a monitor in live's own region, or with nobody to text", () => {
    expect(() => build({ region: "ap-southeast-3" })).toThrow(/monitor\.region: must differ/);
    expect(() => build({ region: "ap-southeast-1" }, { adminPhones: [] })).toThrow(/monitor\.adminPhones/);
  });

  it("opens the messaging host's daemon ports to the monitor's address, and only when given", () => {
    const opened = Template.fromStack(build(undefined, { monitorCidr: "203.0.113.7/32" }).live);
    opened.hasResourceProperties("AWS::EC2::SecurityGroup", {
      SecurityGroupIngress: Match.arrayWith([
        Match.objectLike({ CidrIp: "203.0.113.7/32", FromPort: 9400, ToPort: 9409 }),
      ]),
    });
    const closed = JSON.stringify(Template.fromStack(build(undefined).live).toJSON());
    expect(closed).not.toContain("203.0.113.7/32");
  });
});
