// Creates every queue (with its dead-letter queue and redrive policy) and every bucket
// under a prefix. Used by the local stack and by the operator CLI against LocalStack;
// production resources come from infrastructure as code.
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import {
  BUCKETS,
  DEFAULT_MAX_RECEIVE_COUNT,
  deadLetterQueueName,
  physicalBucketName,
  physicalQueueName,
  QUEUES,
} from "./resources.js";

export interface ProvisionOptions {
  sqs: SQSClient;
  s3: S3Client;
  prefix: string;
  queues?: readonly string[];
  buckets?: readonly string[];
  maxReceiveCount?: number;
  /** Default visibility timeout of the main queues, in seconds. */
  visibilityTimeoutSeconds?: number;
}

export interface ProvisionedQueue {
  name: string;
  url: string;
  deadLetterUrl: string;
}

export async function provisionQueue(
  sqs: SQSClient,
  prefix: string,
  queue: string,
  options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): Promise<ProvisionedQueue> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: deadLetterQueueName(prefix, queue),
      Attributes: { MessageRetentionPeriod: "1209600" },
    }),
  );
  const dlqAttributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: physicalQueueName(prefix, queue),
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 60),
        MessageRetentionPeriod: "1209600",
        ReceiveMessageWaitTimeSeconds: "20",
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
          maxReceiveCount: options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
        }),
      },
    }),
  );
  return { name: queue, url: main.QueueUrl ?? "", deadLetterUrl: dlq.QueueUrl ?? "" };
}

export async function provisionBucket(s3: S3Client, prefix: string, bucket: string): Promise<string> {
  const name = physicalBucketName(prefix, bucket);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  }
  return name;
}

export async function provisionResources(options: ProvisionOptions) {
  const queues = await Promise.all(
    (options.queues ?? QUEUES).map((queue) =>
      provisionQueue(options.sqs, options.prefix, queue, {
        ...(options.maxReceiveCount === undefined ? {} : { maxReceiveCount: options.maxReceiveCount }),
        ...(options.visibilityTimeoutSeconds === undefined
          ? {}
          : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
      }),
    ),
  );
  const buckets = await Promise.all(
    (options.buckets ?? BUCKETS).map((bucket) => provisionBucket(options.s3, options.prefix, bucket)),
  );
  return { queues, buckets };
}
