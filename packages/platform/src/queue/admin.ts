// What the operator CLI needs: queue depths, a look at dead letters, and redrive of dead
// letters back to their queue.
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { QUEUES } from "../resources.js";
import {
  CORRELATION_ID,
  DEAD_LETTER_REASON,
  type MessageAttributes,
  readStringAttributes,
} from "./attributes.js";
import { deadLetterQueueUrl, queueUrl } from "./urls.js";

export interface QueueStats {
  queue: string;
  /** Messages waiting to be received. */
  depth: number;
  /** Received and not yet deleted (being handled, or waiting out a retry delay). */
  inFlight: number;
  /** Sent with a delay that has not yet passed. */
  delayed: number;
  deadLetterDepth: number;
}

async function count(sqs: SQSClient, url: string) {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  const attributes = result.Attributes ?? {};
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    notVisible: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** Approximate counts, as SQS gives them. A dead-letter depth counts visible messages only. */
export async function queueStats(
  sqs: SQSClient,
  prefix: string,
  queues: readonly string[] = QUEUES,
): Promise<QueueStats[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const [main, deadLetters] = await Promise.all([
        queueUrl(sqs, prefix, queue).then((url) => count(sqs, url)),
        deadLetterQueueUrl(sqs, prefix, queue).then((url) => count(sqs, url)),
      ]);
      return {
        queue,
        depth: main.visible,
        inFlight: main.notVisible,
        delayed: main.delayed,
        deadLetterDepth: deadLetters.visible,
      };
    }),
  );
}

export interface DeadLetter {
  messageId: string;
  /** Why the consumer dead-lettered it; absent when the redrive policy moved it after N receives. */
  reason?: string;
  correlationId?: string;
  /** Receives so far, on the queue and here (listing counts as a receive). */
  receiveCount: number;
  sentAt?: string;
  attributes: Record<string, string>;
  bodyBytes: number;
  bodyPreview: string;
}

export interface ListDeadLettersOptions {
  /** At most this many messages (default 10). */
  max?: number;
  /** Characters of body shown (default 200). */
  previewChars?: number;
  /**
   * How long listed messages stay hidden (default 1 s). Short, because listing must not
   * keep them from a redrive; long enough that the next receive of the listing moves on.
   */
  peekSeconds?: number;
}

/** Peeks at dead letters without deleting them. */
export async function listDeadLetters(
  sqs: SQSClient,
  prefix: string,
  queue: string,
  options: ListDeadLettersOptions = {},
): Promise<DeadLetter[]> {
  const max = options.max ?? 10;
  const previewChars = options.previewChars ?? 200;
  const url = await deadLetterQueueUrl(sqs, prefix, queue);
  const seen = new Map<string, DeadLetter>();
  while (seen.size < max) {
    const result = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        VisibilityTimeout: options.peekSeconds ?? 1,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
      }),
    );
    const fresh = (result.Messages ?? []).filter((message) => !seen.has(message.MessageId ?? ""));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.set(message.MessageId ?? "", describe(message, previewChars));
  }
  return [...seen.values()];
}

function describe(message: Message, previewChars: number): DeadLetter {
  const attributes = readStringAttributes(message.MessageAttributes);
  const body = message.Body ?? "";
  const sent = Number(message.Attributes?.SentTimestamp);
  const reason = attributes[DEAD_LETTER_REASON];
  const correlationId = attributes[CORRELATION_ID];
  return {
    messageId: message.MessageId ?? "",
    ...(reason === undefined ? {} : { reason }),
    ...(correlationId === undefined ? {} : { correlationId }),
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    ...(Number.isFinite(sent) ? { sentAt: new Date(sent).toISOString() } : {}),
    attributes,
    bodyBytes: Buffer.byteLength(body, "utf8"),
    bodyPreview: body.length > previewChars ? `${body.slice(0, previewChars)}…` : body,
  };
}

export interface RedriveOptions {
  /** Move at most this many (default all). */
  max?: number;
}

export interface RedriveResult {
  moved: number;
  /** Left in the dead-letter queue because sending them back failed. */
  failed: number;
}

/**
 * Moves dead letters back to their queue: send, then delete from the dead-letter queue.
 * A crash between the two leaves a copy in both, which idempotent handlers absorb.
 * Done with receive/send/delete rather than StartMessageMoveTask so it works the same on
 * AWS and on emulators that lack move tasks.
 */
export async function redrive(
  sqs: SQSClient,
  prefix: string,
  queue: string,
  options: RedriveOptions = {},
): Promise<RedriveResult> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const [source, deadLetters] = await Promise.all([
    queueUrl(sqs, prefix, queue),
    deadLetterQueueUrl(sqs, prefix, queue),
  ]);
  let moved = 0;
  let failed = 0;
  while (moved + failed < max) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetters,
        MaxNumberOfMessages: Math.min(10, max - moved - failed),
        // Long enough to send and delete; a failed send shows the message again after it.
        VisibilityTimeout: 30,
        // Waits out a listing's short peek, and lets SQS look at every server.
        WaitTimeSeconds: 2,
        MessageAttributeNames: ["All"],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: source,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? "",
          MessageAttributes: withoutReason(message.MessageAttributes),
        })),
      }),
    );
    failed += sent.Failed?.length ?? 0;
    const back = (sent.Successful ?? [])
      .map((entry) => messages[Number(entry.Id)])
      .filter((m) => m !== undefined);
    if (back.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetters,
          Entries: back.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? "",
          })),
        }),
      );
    }
    moved += back.length;
  }
  return { moved, failed };
}

function withoutReason(attributes: MessageAttributes | undefined): MessageAttributes {
  const { [DEAD_LETTER_REASON]: _reason, ...rest } = attributes ?? {};
  return rest;
}
