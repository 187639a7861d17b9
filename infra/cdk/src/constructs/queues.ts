// The work queues, each with a dead-letter queue after five receives, SQS-managed
// encryption, and alarms on dead letters and on work left waiting too long.
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  deadLetterQueueName,
  physicalQueueName,
  QUEUES,
  type QueueName,
} from "@isikhnas/platform";
import {
  aws_cloudwatch_actions as actions,
  aws_cloudwatch as cloudwatch,
  Duration,
  type aws_sns as sns,
  aws_sqs as sqs,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import { QUEUE_VISIBILITY_SECONDS } from "../daemons.js";

/** Age of the oldest message that means a queue is not being worked off. */
const OLDEST_MESSAGE_ALARM: Record<QueueName, Duration> = {
  emailinput: Duration.minutes(30),
  emailoutput: Duration.minutes(15),
  reportrequest: Duration.hours(1),
  mailinbound: Duration.minutes(15),
};

export interface WorkQueuesProps {
  prefix: string;
  alerts: sns.ITopic;
}

export class WorkQueues extends Construct {
  readonly queues: Record<QueueName, sqs.Queue>;
  readonly deadLetterQueues: Record<QueueName, sqs.Queue>;

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    const alarmAction = new actions.SnsAction(props.alerts);
    const queues: Partial<Record<QueueName, sqs.Queue>> = {};
    const deadLetterQueues: Partial<Record<QueueName, sqs.Queue>> = {};

    for (const name of QUEUES) {
      const deadLetters = new sqs.Queue(this, `${name}-dlq`, {
        queueName: deadLetterQueueName(props.prefix, name),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // The most SQS keeps: time for an operator to read the reason and redrive.
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, name, {
        queueName: physicalQueueName(props.prefix, name),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(QUEUE_VISIBILITY_SECONDS[name]),
        retentionPeriod: Duration.days(4),
        // Long polling by default, so an idle consumer costs little.
        receiveMessageWaitTime: Duration.seconds(20),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT },
      });
      queues[name] = queue;
      deadLetterQueues[name] = deadLetters;

      const deadLettered = deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      });
      new cloudwatch.Alarm(this, `${name}-dead-letters`, {
        alarmName: `${deadLetterQueueName(props.prefix, name)} has messages`,
        alarmDescription: `Messages of ${name} failed ${DEFAULT_MAX_RECEIVE_COUNT} times; read the reason in the logs, then redrive (npm run ops -- queues dead-letters, queues redrive).`,
        metric: deadLettered,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(alarmAction);

      const oldest = queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      });
      const alarm = new cloudwatch.Alarm(this, `${name}-oldest-message`, {
        alarmName: `${physicalQueueName(props.prefix, name)} oldest message age`,
        alarmDescription: `A ${name} message has waited more than ${OLDEST_MESSAGE_ALARM[name].toHumanString()}: consumers are down or too few.`,
        metric: oldest,
        threshold: OLDEST_MESSAGE_ALARM[name].toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(alarmAction);
      alarm.addOkAction(alarmAction);
    }
    this.queues = queues as Record<QueueName, sqs.Queue>;
    this.deadLetterQueues = deadLetterQueues as Record<QueueName, sqs.Queue>;
  }
}
