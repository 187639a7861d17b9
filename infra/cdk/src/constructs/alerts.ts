// The alert topic: every alarm of the deployment notifies it, and it mails the operators and
// texts the administrators' phones.
import { aws_sns as sns, aws_sns_subscriptions as subscriptions } from "aws-cdk-lib";
import { Construct } from "constructs";

export class Alerts extends Construct {
  readonly topic: sns.Topic;

  constructor(
    scope: Construct,
    id: string,
    props: { topicName: string; email: string; phones?: readonly string[] },
  ) {
    super(scope, id);
    this.topic = new sns.Topic(this, "Topic", { topicName: props.topicName, enforceSSL: true });
    // The recipient must confirm the subscription from the first mail before alarms arrive.
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    // SMS subscriptions need no confirmation; the account's DefaultSMSType decides their route (see TransactionalSms).
    for (const phone of props.phones ?? [])
      this.topic.addSubscription(new subscriptions.SmsSubscription(phone));
  }
}
