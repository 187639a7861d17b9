// SES for the deployment: the DKIM-signed sending domain with its configuration set, and
// inbound mail for the ingest addresses, stored raw in the rawmail bucket and announced
// on a topic the mailinbound queue subscribes to.
//
// Only one receipt rule set can be active per account and region, and CloudFormation
// cannot activate one: after the first deploy run
//   aws ses set-active-receipt-rule-set --rule-set-name <prefix>inbound
// (or merge this rule into the set that is already active). See the README.
import {
  aws_cloudwatch_actions as actions,
  aws_cloudwatch as cloudwatch,
  Duration,
  aws_iam as iam,
  Stack,
  type aws_s3 as s3,
  aws_ses as ses,
  aws_ses_actions as sesActions,
  aws_sns as sns,
  type aws_sqs as sqs,
  aws_sns_subscriptions as subscriptions,
} from "aws-cdk-lib";
import { Construct } from "constructs";

/** Key prefix of mail stored by the receipt rule (email-ingest writes Postfix mail under postfix/). */
export const SES_RAWMAIL_PREFIX = "ses/";

export interface MailProps {
  prefix: string;
  domain: string;
  /** Addresses whose mail is received: the live and training ingest addresses. */
  ingestAddresses: readonly string[];
  rawmail: s3.IBucket;
  mailinbound: sqs.IQueue;
  alerts: sns.ITopic;
}

export class Mail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly inboundTopic: sns.Topic;
  readonly ruleSet: ses.ReceiptRuleSet;
  readonly ruleSetName: string;
  readonly ruleName: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const { account, region } = Stack.of(this);

    this.configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet", {
      configurationSetName: `${props.prefix}outbound`,
      reputationMetrics: true,
      sendingEnabled: true,
      // Stop mailing addresses that bounced or complained: protects the sending reputation.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new ses.EmailIdentity(this, "Domain", {
      identity: ses.Identity.domain(props.domain),
      configurationSet: this.configurationSet,
      // A MAIL FROM subdomain of our own lets SPF align for DMARC.
      mailFromDomain: `bounce.${props.domain}`,
    });

    this.inboundTopic = new sns.Topic(this, "InboundTopic", { topicName: `${props.prefix}mailinbound` });
    // Not raw delivery: the queue gets SNS's envelope with the SES notification inside,
    // the shape email-ingest parses (it also accepts plain S3 events).
    this.inboundTopic.addSubscription(
      new subscriptions.SqsSubscription(props.mailinbound, { rawMessageDelivery: false }),
    );

    this.ruleSetName = `${props.prefix}inbound`;
    this.ruleName = `${props.prefix}ingest`;
    this.ruleSet = new ses.ReceiptRuleSet(this, "RuleSet", { receiptRuleSetName: this.ruleSetName });
    this.ruleSet.addRule("Ingest", {
      receiptRuleName: this.ruleName,
      recipients: [...props.ingestAddresses],
      // Spam and virus verdicts reach email-ingest in the notification.
      scanEnabled: true,
      // District offices' mail servers do not all speak TLS; mail is still accepted from them.
      tlsPolicy: ses.TlsPolicy.OPTIONAL,
      actions: [
        new sesActions.S3({
          bucket: props.rawmail,
          objectKeyPrefix: SES_RAWMAIL_PREFIX,
          topic: this.inboundTopic,
        }),
      ],
    });
    this.inboundTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "SesInboundPublishes",
        principals: [new iam.ServicePrincipal("ses.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.inboundTopic.topicArn],
        conditions: {
          StringEquals: { "AWS:SourceAccount": account },
          ArnLike: {
            "AWS:SourceArn": `arn:aws:ses:${region}:${account}:receipt-rule-set/${this.ruleSetName}:receipt-rule/${this.ruleName}`,
          },
        },
      }),
    );

    // SES pauses sending for an account whose bounce rate passes 10%; warn at 5%.
    new cloudwatch.Alarm(this, "BounceRate", {
      alarmName: `${props.prefix}ses bounce rate`,
      alarmDescription: "SES bounce rate above 5%: clean the address lists before SES pauses sending at 10%.",
      metric: new cloudwatch.Metric({
        namespace: "AWS/SES",
        metricName: "Reputation.BounceRate",
        period: Duration.hours(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0.05,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new actions.SnsAction(props.alerts));
  }
}
