// Sends catalog messages: validated against their schema, refused when too large for
// SQS, carrying a correlation id. Batch sends go ten to a call and retry the entries SQS
// failed (bounded, with backoff) before reporting what could not be sent.
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type CatalogQueue, type MessageInputOf, messageCatalog } from "@isikhnas/contracts";
import { backoff } from "../backoff.js";
import { PlatformError } from "../errors.js";
import type { Logger } from "../logger.js";
import {
  assertMessageFits,
  CORRELATION_ID,
  MAX_MESSAGE_BYTES,
  type MessageAttributes,
  stringAttribute,
} from "./attributes.js";
import { parseValue } from "./parse.js";
import { queueUrl } from "./urls.js";

/** SQS takes at most ten entries per SendMessageBatch call. */
const BATCH_ENTRIES = 10;
/** Batch calls in flight at once for one sendBatch. */
const BATCH_CALLS_IN_PARALLEL = 4;

export interface ProducerDeps {
  sqs: SQSClient;
  logger?: Logger;
}

export interface ProducerOptions {
  prefix: string;
  /** Attempts per batch entry, counting the first (default 4). */
  batchAttempts?: number;
  /** First pause before retrying failed batch entries; doubles each attempt (default 100 ms). */
  batchRetryBaseMs?: number;
}

export interface SendOptions {
  /** Travels as the `correlationId` message attribute; a fresh one when omitted. */
  correlationId?: string;
  delaySeconds?: number;
}

export interface SentMessage {
  messageId: string;
  correlationId: string;
}

export interface BatchFailure {
  /** Position of the message in the list given to sendBatch. */
  index: number;
  code: string;
  reason: string;
}

/** Some messages of a batch could not be sent; the rest were. */
export class BatchSendError extends PlatformError {
  readonly sent: ReadonlyMap<number, SentMessage>;
  readonly failed: readonly BatchFailure[];

  constructor(queue: string, sent: ReadonlyMap<number, SentMessage>, failed: readonly BatchFailure[]) {
    const first = failed[0];
    super(
      "SEND_FAILED",
      `${failed.length} of ${sent.size + failed.length} messages to ${queue} not sent` +
        (first ? ` (first: #${first.index} ${first.code}: ${first.reason})` : ""),
    );
    this.name = "BatchSendError";
    this.sent = sent;
    this.failed = failed;
  }
}

interface PreparedMessage {
  index: number;
  body: string;
  attributes: MessageAttributes;
  bytes: number;
  correlationId: string;
}

export class QueueProducer {
  readonly #sqs: SQSClient;
  readonly #logger: Logger | undefined;
  readonly #prefix: string;
  readonly #batchAttempts: number;
  readonly #batchRetryBaseMs: number;

  constructor(deps: ProducerDeps, options: ProducerOptions) {
    this.#sqs = deps.sqs;
    this.#logger = deps.logger;
    this.#prefix = options.prefix;
    this.#batchAttempts = Math.max(1, options.batchAttempts ?? 4);
    this.#batchRetryBaseMs = options.batchRetryBaseMs ?? 100;
  }

  async send<Q extends CatalogQueue>(
    queue: Q,
    message: MessageInputOf<Q>,
    options: SendOptions = {},
  ): Promise<SentMessage> {
    const prepared = this.#prepare(queue, message, 0, options.correlationId);
    const url = await queueUrl(this.#sqs, this.#prefix, queue);
    try {
      const result = await this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: prepared.body,
          MessageAttributes: prepared.attributes,
          ...(options.delaySeconds === undefined ? {} : { DelaySeconds: options.delaySeconds }),
        }),
      );
      return { messageId: result.MessageId ?? "", correlationId: prepared.correlationId };
    } catch (error) {
      throw new PlatformError("SEND_FAILED", `could not send to ${queue}`, { cause: error });
    }
  }

  /**
   * Sends every message or throws BatchSendError naming the ones that failed (the others
   * were sent). Messages are validated and sized before anything is sent: one bad message
   * sends none.
   */
  async sendBatch<Q extends CatalogQueue>(
    queue: Q,
    messages: readonly MessageInputOf<Q>[],
    options: Pick<SendOptions, "correlationId"> = {},
  ): Promise<SentMessage[]> {
    const prepared = messages.map((message, index) =>
      this.#prepare(queue, message, index, options.correlationId),
    );
    if (prepared.length === 0) return [];
    const url = await queueUrl(this.#sqs, this.#prefix, queue);
    const chunks = chunk(prepared);
    const sent = new Map<number, SentMessage>();
    const failed: BatchFailure[] = [];
    let next = 0;
    const worker = async () => {
      for (let current = chunks[next++]; current; current = chunks[next++]) {
        await this.#sendChunk(url, current, sent, failed);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CALLS_IN_PARALLEL, chunks.length) }, worker));
    if (failed.length > 0) {
      failed.sort((a, b) => a.index - b.index);
      this.#logger?.error(
        { queue, failed: failed.length, sent: sent.size },
        "batch send left messages unsent",
      );
      throw new BatchSendError(queue, sent, failed);
    }
    return prepared.map((message) => sent.get(message.index) as SentMessage);
  }

  #prepare<Q extends CatalogQueue>(
    queue: Q,
    message: MessageInputOf<Q>,
    index: number,
    correlationId: string | undefined,
  ): PreparedMessage {
    const parsed = parseValue<unknown>(messageCatalog[queue], message);
    if (!parsed.ok) {
      throw new PlatformError(
        "SCHEMA_INVALID",
        `message #${index} for ${queue} is invalid: ${parsed.reason}`,
      );
    }
    const id = correlationId ?? randomUUID();
    // The parsed value is sent, so defaults are filled in once, by the producer.
    const body = jsonInPlaneZero(parsed.value);
    const attributes: MessageAttributes = { [CORRELATION_ID]: stringAttribute(id) };
    const bytes = assertMessageFits(queue, body, attributes);
    return { index, body, attributes, bytes, correlationId: id };
  }

  async #sendChunk(
    url: string,
    messages: readonly PreparedMessage[],
    sent: Map<number, SentMessage>,
    failed: BatchFailure[],
  ): Promise<void> {
    const byId = new Map(messages.map((message) => [String(message.index), message]));
    let pending = messages;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const last = attempt >= this.#batchAttempts;
      const retry: PreparedMessage[] = [];
      try {
        const result = await this.#sqs.send(
          new SendMessageBatchCommand({ QueueUrl: url, Entries: pending.map(toEntry) }),
        );
        for (const success of result.Successful ?? []) {
          const message = byId.get(success.Id ?? "");
          if (message)
            sent.set(message.index, {
              messageId: success.MessageId ?? "",
              correlationId: message.correlationId,
            });
        }
        for (const failure of result.Failed ?? []) {
          const message = byId.get(failure.Id ?? "");
          if (!message) continue;
          // A sender fault (bad attribute, bad size) fails the same way every time.
          if (failure.SenderFault || last) {
            failed.push({
              index: message.index,
              code: failure.Code ?? "Unknown",
              reason: failure.Message ?? "",
            });
          } else {
            retry.push(message);
          }
        }
      } catch (error) {
        if (last) {
          const reason = error instanceof Error ? error.message : String(error);
          const code = error instanceof Error ? error.name : "Error";
          for (const message of pending) failed.push({ index: message.index, code, reason });
        } else {
          retry.push(...pending);
        }
      }
      pending = retry;
      if (pending.length > 0) await pause(backoff({ attempt, baseMs: this.#batchRetryBaseMs }));
    }
  }
}

function toEntry(message: PreparedMessage): SendMessageBatchRequestEntry {
  return { Id: String(message.index), MessageBody: message.body, MessageAttributes: message.attributes };
}

/** Groups messages into SendMessageBatch calls: ten entries and the size limit per call. */
function chunk(messages: readonly PreparedMessage[]): PreparedMessage[][] {
  const chunks: PreparedMessage[][] = [];
  let current: PreparedMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length === BATCH_ENTRIES || bytes + message.bytes > MAX_MESSAGE_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function pause(ms: number): Promise<void> {
  // Jitter keeps several producers from retrying in step.
  return delay(ms * (0.5 + Math.random() / 2));
}

export function createProducer(deps: ProducerDeps, options: ProducerOptions): QueueProducer {
  return new QueueProducer(deps, options);
}

/** A character outside the Basic Multilingual Plane: a surrogate pair in a JS string. */
const ASTRAL = /[\ud800-\udbff][\udc00-\udfff]/g;

/**
 * JSON with every character outside the Basic Multilingual Plane (emoji, rare CJK) written
 * as its `\uXXXX\uXXXX` escape: the same value to JSON.parse, and a body every SQS
 * implementation takes. SQS allows #x10000 to #x10FFFF, but the local emulator (fauxqs
 * 2.4.1, the latest) refuses them, which would make a sender's emoji a failure locally only.
 */
function jsonInPlaneZero(value: unknown): string {
  return JSON.stringify(value).replace(ASTRAL, (pair) => {
    const high = pair.charCodeAt(0).toString(16);
    const low = pair.charCodeAt(1).toString(16);
    return `\\u${high}\\u${low}`;
  });
}
