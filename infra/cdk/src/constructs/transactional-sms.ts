// SMS from SNS topics (the alarms' texts) go by the account's default SMS type, which is
// Promotional unless set: cheaper routes, possibly held back. CloudFormation has no resource
// for it, so one SDK call at deploy sets the region's default to Transactional.
import { custom_resources as cr } from "aws-cdk-lib";
import { Construct } from "constructs";

export class TransactionalSms extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: "SNS",
      action: "setSMSAttributes",
      parameters: { attributes: { DefaultSMSType: "Transactional" } },
      physicalResourceId: cr.PhysicalResourceId.of("default-sms-type"),
    };
    new cr.AwsCustomResource(this, "DefaultSmsType", {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
  }
}
