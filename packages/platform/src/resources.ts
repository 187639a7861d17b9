// Logical names of the queues and buckets, and how they map to physical names.
import { BUCKETS } from "@isikhnas/contracts";

export const QUEUES = ["emailinput", "emailoutput", "reportrequest", "mailinbound"] as const;
export type QueueName = (typeof QUEUES)[number];

// The buckets messages may refer to: one list, kept with the message schemas.
export { BUCKETS };
export type BucketName = (typeof BUCKETS)[number];

/** Receives before a message is moved to its dead-letter queue. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

export function physicalQueueName(prefix: string, queue: string): string {
  return `${prefix}${queue}`;
}

export function deadLetterQueueName(prefix: string, queue: string): string {
  return `${prefix}${queue}-dlq`;
}

export function physicalBucketName(prefix: string, bucket: string): string {
  return `${prefix}${bucket}`;
}
