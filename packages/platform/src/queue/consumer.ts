// Receives queue messages and runs a handler on each: long polling, a limit on messages
// in flight, a visibility heartbeat, a deadline per handler, explicit outcomes and a
// graceful stop.
//
// Written here rather than taken from sqs-consumer (the usual library): its current major
// needs Node 22, and it handles what one receive returned as a batch, asking for more
// only when the whole batch is done, so one slow message holds up the others and there
// is no limit on messages in flight. This consumer frees a slot as soon as any handler has
// returned and asks SQS for min(10, free slots); the finished message's delete (batched,
// sent only after the handler returned, so only after its effects are durable) goes on
// beside the next receive instead of in front of it.
//
// A handler still running at its deadline is not waited for: its signal aborts, its
// message is released for a retry and its slot is freed, so a hung call (a socket that
// never answers) cannot hold a message for ever by heartbeat, nor the consumer's slots.
//
// Stopping lets the receives under way finish instead of aborting them: SQS (and fauxqs)
// keep serving a long poll whose caller went away, and a message sent meanwhile would go to
// it and stay hidden for a whole visibility timeout. What such a receive brings after the
// stop is released at once, unhandled. The long poll is therefore short (2 s by default):
// it bounds how long an idle consumer takes to stop, and how long the poll of a consumer
// that died (SIGKILL, a crash) can still take a message nobody will handle.
import { setTimeout as delay } from "node:timers/promises";
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type CatalogQueue, type MessageOf, messageCatalog } from "@isikhnas/contracts";
import { backoff } from "../backoff.js";
import { PlatformError } from "../errors.js";
import { type Logger, withCorrelation } from "../logger.js";
import type { Metrics } from "../runtime/metrics.js";
import {
  CORRELATION_ID,
  DEAD_LETTER_REASON,
  MAX_MESSAGE_ATTRIBUTES,
  type MessageAttributes,
  readStringAttributes,
  stringAttribute,
} from "./attributes.js";
import { DeleteBatcher } from "./delete-batcher.js";
import { classifyFailure, type Outcome } from "./outcome.js";
import { type MessageParser, parseBody } from "./parse.js";
import { deadLetterQueueUrl, queueUrl } from "./urls.js";

/** SQS returns at most ten messages per receive. */
const RECEIVE_MAX = 10;
/** SQS caps a message's visibility timeout at twelve hours. */
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_REASON_LENGTH = 1_000;
/**
 * The default deadline, in visibility timeouts: work longer than one visibility timeout is
 * normal (the heartbeat covers it), work longer than this many is taken to be hung.
 */
const DEADLINE_VISIBILITIES = 4;
/** What the race between a handler and its deadline yields when the deadline wins. */
const OVERRUN = Symbol("overrun");
/** A receive still unanswered this long after its long poll should have ended is given up at a stop. */
const RECEIVE_GRACE_MS = 5_000;

export interface ConsumerDeps {
  sqs: SQSClient;
  logger: Logger;
  metrics?: Metrics;
}

export interface HandlerContext {
  messageId: string;
  /** How many times SQS has delivered this message, this delivery included. */
  receiveCount: number;
  /** From the `correlationId` attribute, or the message id when the producer set none. */
  correlationId: string;
  attributes: Readonly<Record<string, string>>;
  /** Carries the correlation id, queue and message id. */
  logger: Logger;
  /**
   * Fires at the handler's deadline, or when a stop's deadline passes; the message is then
   * released for another delivery and whatever the handler returns later is ignored.
   */
  signal: AbortSignal;
  /**
   * Says the handler is getting on with long work (a broadcast, recipient by recipient):
   * its deadline starts again from now. Work that makes no progress never calls it.
   */
  progress(): void;
}

export type MessageHandler<T> = (message: T, context: HandlerContext) => Promise<Outcome>;

export interface ConsumerOptions<T> {
  /** Logical queue name, e.g. `emailinput`. */
  queue: string;
  prefix: string;
  handler: MessageHandler<T>;
  /** Defaults to the catalog schema of `queue`; required for queues outside the catalog. */
  schema?: MessageParser<T>;
  /** Messages handled at once (default 10). */
  concurrency?: number;
  /** How long a received message stays hidden (default 60). */
  visibilityTimeoutSeconds?: number;
  /** How often a running handler's message is hidden again (default a third of the visibility timeout). */
  heartbeatSeconds?: number;
  /**
   * Long-poll wait (default 2; SQS allows up to 20). A stop waits for the receive under way,
   * so this bounds how long an idle consumer takes to stop.
   */
  waitTimeSeconds?: number;
  /** How long a stop waits for running handlers before releasing their messages (default 25 000). */
  shutdownTimeoutMs?: number;
  /**
   * Longest a handler may run (default four visibility timeouts, at most 12 hours). Past it
   * the message is released for a retry, as after a transient failure.
   */
  handlerTimeoutSeconds?: number;
  /** Delay before the first retry; doubles with each receive (default 10). */
  retryBaseSeconds?: number;
  /** Longest retry delay (default 900). */
  retryMaxSeconds?: number;
}

interface HeldMessage {
  receiptHandle: string;
  /** The handler's signal: aborted at its deadline or at a stop. */
  controller: AbortController;
  heartbeat?: NodeJS.Timeout;
  deadline?: NodeJS.Timeout;
  /** When the deadline passes, as `performance.now()`. */
  deadlineAt: number;
  /** Ends the wait for the handler at once (at shutdown, once its message is released). */
  expire?: () => void;
  /** The handler has returned; only the outcome's SQS call remains. */
  settling: boolean;
  /** Given back at its deadline or at shutdown: whatever the handler says later is ignored. */
  released: boolean;
  finished: Promise<void>;
}

export class QueueConsumer<T = unknown> {
  readonly #sqs: SQSClient;
  readonly #logger: Logger;
  readonly #metrics: Metrics | undefined;
  readonly #queue: string;
  readonly #prefix: string;
  readonly #handler: MessageHandler<T>;
  readonly #parser: MessageParser<T>;
  readonly #concurrency: number;
  readonly #visibilitySeconds: number;
  readonly #heartbeatMs: number;
  readonly #waitSeconds: number;
  readonly #shutdownMs: number;
  readonly #handlerTimeoutMs: number;
  readonly #retryBaseSeconds: number;
  readonly #retryMaxSeconds: number;

  #url = "";
  #deadLetterUrl = "";
  #deleter: DeleteBatcher | undefined;
  #started: Promise<void> | undefined;
  #stopped: Promise<void> | undefined;
  #stopping = false;
  /** Aborted when a stop begins: ends a backoff pause between failed receives. */
  readonly #stopSignal = new AbortController();
  /** Aborted only when a receive outlives its long poll at a stop (see the module's note). */
  readonly #receiving = new AbortController();
  /** Counters bound to this queue's label once, not looked up per message. */
  readonly #count: {
    received?: { inc(): void };
    done?: { inc(): void };
    retried?: { inc(): void };
    rejected?: { inc(): void };
    timedOut?: { inc(): void };
    inFlight?: { inc(): void; dec(): void };
  };
  #pollers: Promise<void>[] = [];
  /** Slots asked for in receives still in progress. */
  #reserved = 0;
  /** Held messages whose handler has returned: only their delete or release remains. */
  #settling = 0;
  readonly #held = new Map<string, HeldMessage>();
  #waiters: (() => void)[] = [];

  constructor(deps: ConsumerDeps, options: ConsumerOptions<T>) {
    this.#sqs = deps.sqs;
    this.#metrics = deps.metrics;
    const label = { queue: options.queue };
    this.#count = deps.metrics
      ? {
          received: deps.metrics.received.labels(label),
          done: deps.metrics.done.labels(label),
          retried: deps.metrics.retried.labels(label),
          rejected: deps.metrics.rejected.labels(label),
          timedOut: deps.metrics.timedOut.labels(label),
          inFlight: deps.metrics.inFlight.labels(label),
        }
      : {};
    this.#queue = options.queue;
    this.#prefix = options.prefix;
    this.#logger = deps.logger.child({ queue: options.queue });
    this.#handler = options.handler;
    this.#parser = options.schema ?? catalogParser<T>(options.queue);
    this.#concurrency = options.concurrency ?? 10;
    this.#visibilitySeconds = options.visibilityTimeoutSeconds ?? 60;
    this.#heartbeatMs = (options.heartbeatSeconds ?? this.#visibilitySeconds / 3) * 1000;
    this.#waitSeconds = options.waitTimeSeconds ?? 2;
    this.#shutdownMs = options.shutdownTimeoutMs ?? 25_000;
    this.#handlerTimeoutMs =
      (options.handlerTimeoutSeconds ??
        Math.min(MAX_VISIBILITY_SECONDS, this.#visibilitySeconds * DEADLINE_VISIBILITIES)) * 1000;
    this.#retryBaseSeconds = options.retryBaseSeconds ?? 10;
    this.#retryMaxSeconds = Math.min(options.retryMaxSeconds ?? 900, MAX_VISIBILITY_SECONDS);
    const problems = [
      Number.isInteger(this.#concurrency) && this.#concurrency >= 1
        ? ""
        : "concurrency must be a positive integer",
      this.#visibilitySeconds >= 1 && this.#visibilitySeconds <= MAX_VISIBILITY_SECONDS
        ? ""
        : "visibilityTimeoutSeconds must be 1..43200",
      this.#heartbeatMs > 0 && this.#heartbeatMs < this.#visibilitySeconds * 1000
        ? ""
        : "heartbeatSeconds must be positive and shorter than the visibility timeout",
      this.#waitSeconds >= 0 && this.#waitSeconds <= 20 ? "" : "waitTimeSeconds must be 0..20",
      this.#handlerTimeoutMs > 0 && this.#handlerTimeoutMs <= MAX_VISIBILITY_SECONDS * 1000
        ? ""
        : "handlerTimeoutSeconds must be positive and at most 43200",
    ].filter(Boolean);
    if (problems.length > 0) {
      throw new PlatformError("CONFIG_INVALID", `consumer of ${options.queue}: ${problems.join("; ")}`);
    }
  }

  /** Messages being handled now. */
  get inFlight(): number {
    return this.#held.size;
  }

  /** Resolves the queue URLs (failing when the queues are missing) and starts receiving. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  /**
   * Stops receiving, lets running handlers finish until the shutdown deadline, then
   * aborts their signals and makes their messages visible again. Repeat-safe.
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #start(): Promise<void> {
    if (this.#stopping) throw new PlatformError("PERMANENT", `consumer of ${this.#queue} was stopped`);
    [this.#url, this.#deadLetterUrl] = await Promise.all([
      queueUrl(this.#sqs, this.#prefix, this.#queue),
      deadLetterQueueUrl(this.#sqs, this.#prefix, this.#queue),
    ]);
    this.#deleter = new DeleteBatcher(this.#sqs, this.#url, this.#logger);
    if (this.#stopping) return;
    // One receive returns at most ten messages: enough receivers to fill every slot, and one
    // more, so a receive is already under way when slots free up.
    const receivers = Math.ceil(this.#concurrency / RECEIVE_MAX) + 1;
    this.#pollers = Array.from({ length: receivers }, () => this.#poll());
    this.#logger.info({ concurrency: this.#concurrency, receivers }, "consumer started");
  }

  async #poll(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      // Handlers at once stay within the concurrency; messages held (their deletes still
      // under way) within twice it, so a slow delete cannot let them pile up.
      const running = this.#held.size - this.#settling;
      const free =
        Math.min(this.#concurrency - running, 2 * this.#concurrency - this.#held.size) - this.#reserved;
      if (free <= 0) {
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
        continue;
      }
      const wanted = Math.min(RECEIVE_MAX, free);
      this.#reserved += wanted;
      let messages: Message[];
      try {
        const result = await this.#sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.#url,
            MaxNumberOfMessages: wanted,
            WaitTimeSeconds: this.#waitSeconds,
            VisibilityTimeout: this.#visibilitySeconds,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
          { abortSignal: this.#receiving.signal },
        );
        messages = result.Messages ?? [];
        failures = 0;
      } catch (error) {
        if (this.#stopping) break;
        failures++;
        const backoffMs = backoff({ attempt: failures, baseMs: 500, maxMs: 30_000 });
        this.#logger.warn({ err: error, failures, backoffMs }, "receive failed; backing off");
        await delay(backoffMs, undefined, { signal: this.#stopSignal.signal }).catch(() => {});
        continue;
      } finally {
        this.#reserved -= wanted;
      }
      if (this.#stopping) {
        // Taken after the stop: another consumer gets them now, not after the visibility timeout.
        if (messages.length > 0) {
          this.#logger.info({ messages: messages.length }, "received while stopping; released unhandled");
          await this.#release(messages.map((message) => message.ReceiptHandle ?? ""));
        }
        break;
      }
      for (const message of messages) this.#take(message);
    }
  }

  #take(message: Message): void {
    const receiptHandle = message.ReceiptHandle ?? "";
    const held: HeldMessage = {
      receiptHandle,
      controller: new AbortController(),
      deadlineAt: Number.POSITIVE_INFINITY,
      settling: false,
      released: false,
      finished: Promise.resolve(),
    };
    this.#held.set(receiptHandle, held);
    this.#count.received?.inc();
    this.#count.inFlight?.inc();
    held.finished = this.#handle(message, held)
      .catch((error: unknown) => this.#logger.error({ err: error }, "message handling failed"))
      .finally(() => {
        clearInterval(held.heartbeat);
        clearTimeout(held.deadline);
        if (held.settling) this.#settling--;
        this.#held.delete(receiptHandle);
        this.#count.inFlight?.dec();
        this.#wake();
      });
  }

  async #handle(message: Message, held: HeldMessage): Promise<void> {
    const started = performance.now();
    const messageId = message.MessageId ?? "";
    const attributes = readStringAttributes(message.MessageAttributes);
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? "1") || 1;
    const correlationId = attributes[CORRELATION_ID] ?? messageId;
    // A child logger costs a few microseconds: made only when something is logged.
    let child: Logger | undefined;
    const log = () => {
      child ??= withCorrelation(this.#logger, correlationId, { messageId, receiveCount });
      return child;
    };

    const parsed = parseBody(this.#parser, message.Body ?? "");
    if (!parsed.ok) {
      this.#beginSettling(held);
      await this.#deadLetter(message, `invalid message: ${parsed.reason}`, "invalid", log);
      return;
    }

    held.deadlineAt = performance.now() + this.#handlerTimeoutMs;
    const overrun = new Promise<typeof OVERRUN>((resolve) => {
      held.expire = () => resolve(OVERRUN);
      held.deadline = setTimeout(held.expire, this.#handlerTimeoutMs);
    });
    held.heartbeat = setInterval(() => void this.#extend(held, log), this.#heartbeatMs);
    let result: Outcome;
    try {
      const running = this.#handler(parsed.value, {
        messageId,
        receiveCount,
        correlationId,
        attributes,
        get logger() {
          return log();
        },
        signal: held.controller.signal,
        progress: () => this.#restartDeadline(held),
      });
      const first = await Promise.race([running, overrun]);
      if (first === OVERRUN) {
        await this.#abandon(message, held, running, receiveCount, log);
        return;
      }
      result = first;
    } catch (thrown) {
      const failure = classifyFailure(thrown);
      result = failure.outcome;
      log().warn({ err: failure.error, outcome: result.kind }, "handler failed");
    } finally {
      clearInterval(held.heartbeat);
      clearTimeout(held.deadline);
    }
    this.#metrics?.handlerSeconds.observe(
      { queue: this.#queue, outcome: result.kind },
      (performance.now() - started) / 1000,
    );
    if (held.released) {
      log().info({ outcome: result?.kind }, "handler finished after its message was released");
      return;
    }
    this.#beginSettling(held);
    await this.#settle(message, result, receiveCount, log);
  }

  /** The handler is done with the message: its slot is free for the next receive. */
  #beginSettling(held: HeldMessage): void {
    held.settling = true;
    this.#settling++;
    this.#wake();
  }

  #restartDeadline(held: HeldMessage): void {
    const now = performance.now();
    // Restarted at most once a second: a handler may report progress thousands of times.
    if (
      held.released ||
      held.settling ||
      !held.expire ||
      held.deadlineAt - now > this.#handlerTimeoutMs - 1000
    )
      return;
    clearTimeout(held.deadline);
    held.deadline = setTimeout(held.expire, this.#handlerTimeoutMs);
    held.deadlineAt = now + this.#handlerTimeoutMs;
  }

  /**
   * The handler outran its deadline: its signal aborts and its message comes back after
   * the backoff, as for a thrown error. The handler is left to finish on its own (it may
   * ignore the signal for ever); returning frees its slot.
   */
  async #abandon(
    message: Message,
    held: HeldMessage,
    running: Promise<Outcome>,
    receiveCount: number,
    log: () => Logger,
  ): Promise<void> {
    running.then(
      (late) => log().info({ outcome: late?.kind }, "handler finished after its message was released"),
      (error: unknown) => log().info({ err: error }, "handler failed after its message was released"),
    );
    // Released at shutdown already.
    if (held.released) return;
    held.released = true;
    clearInterval(held.heartbeat);
    const reason = `handler still running at its deadline of ${this.#handlerTimeoutMs / 1000} s`;
    held.controller.abort(new PlatformError("TRANSIENT", reason));
    this.#count.timedOut?.inc();
    this.#metrics?.handlerSeconds.observe(
      { queue: this.#queue, outcome: "timeout" },
      this.#handlerTimeoutMs / 1000,
    );
    log().warn({ reason }, "handler overran its deadline; message released for a retry");
    await this.#retryLater(message.ReceiptHandle ?? "", this.#backoffSeconds(receiveCount), log);
  }

  async #settle(message: Message, result: Outcome, receiveCount: number, log: () => Logger): Promise<void> {
    const receiptHandle = message.ReceiptHandle ?? "";
    switch (result?.kind) {
      case "done":
        // Counted once deleted; a failed delete means the message comes again.
        if (await this.#deleter?.delete(receiptHandle)) this.#count.done?.inc();
        return;
      case "reject":
        log().info({ reason: result.reason }, "message rejected");
        if (await this.#deleter?.delete(receiptHandle)) this.#count.rejected?.inc();
        return;
      case "deadLetter":
        await this.#deadLetter(message, result.reason, "permanent", log);
        return;
      case "retryLater":
        await this.#retryLater(receiptHandle, result.delaySeconds ?? this.#backoffSeconds(receiveCount), log);
        return;
      default:
        log().error({ outcome: result }, "handler returned no outcome; retrying later");
        await this.#retryLater(receiptHandle, this.#backoffSeconds(receiveCount), log);
    }
  }

  #backoffSeconds(receiveCount: number): number {
    const delayMs = backoff({
      attempt: receiveCount,
      baseMs: this.#retryBaseSeconds * 1000,
      maxMs: this.#retryMaxSeconds * 1000,
    });
    return delayMs / 1000;
  }

  async #retryLater(receiptHandle: string, delaySeconds: number, log: () => Logger): Promise<void> {
    const seconds = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.round(delaySeconds)));
    this.#count.retried?.inc();
    try {
      await this.#sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.#url,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
      log().info({ delaySeconds: seconds }, "message will be retried");
    } catch (error) {
      // The message still comes back, after the full visibility timeout instead.
      log().warn({ err: error }, "could not set the retry delay");
    }
  }

  /**
   * Sends the message to the dead-letter queue with its reason, then deletes it here.
   * When the send fails the message stays, and the redrive policy moves it after N receives.
   */
  async #deadLetter(message: Message, reason: string, category: string, log: () => Logger): Promise<void> {
    const shortReason =
      reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
    const attributes: MessageAttributes = {};
    for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
      if (name === DEAD_LETTER_REASON || Object.keys(attributes).length >= MAX_MESSAGE_ATTRIBUTES - 1)
        continue;
      attributes[name] = value;
    }
    attributes[DEAD_LETTER_REASON] = stringAttribute(shortReason);
    try {
      await this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: this.#deadLetterUrl,
          MessageBody: message.Body ?? "",
          MessageAttributes: attributes,
        }),
      );
    } catch (error) {
      log().error(
        { err: error, reason: shortReason },
        "could not dead-letter the message; it stays on the queue",
      );
      return;
    }
    await this.#deleter?.delete(message.ReceiptHandle ?? "");
    this.#metrics?.deadLettered.inc({ queue: this.#queue, reason: category });
    log().warn({ reason: shortReason }, "message sent to the dead-letter queue");
  }

  async #extend(held: HeldMessage, log: () => Logger): Promise<void> {
    if (held.released || held.settling) return;
    // Never hidden past the deadline: should releasing it then fail, it still comes back.
    const untilDeadline = Math.ceil((held.deadlineAt - performance.now()) / 1000);
    try {
      await this.#sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.#url,
          ReceiptHandle: held.receiptHandle,
          VisibilityTimeout: Math.max(1, Math.min(this.#visibilitySeconds, untilDeadline)),
        }),
      );
    } catch (error) {
      log().warn({ err: error }, "heartbeat failed; the message may be delivered again");
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  async #shutdown(): Promise<void> {
    this.#stopping = true;
    this.#stopSignal.abort();
    this.#wake();
    await this.#started?.catch(() => {});
    // Handlers held at the stop get until the deadline; receives under way meanwhile end
    // (their long poll is short) and release what they bring.
    const running = [...this.#held.values()];
    if (running.length > 0) {
      this.#logger.info(
        { inFlight: running.length, timeoutMs: this.#shutdownMs },
        "stopping: waiting for handlers",
      );
    }
    await Promise.all([
      waitAtMost(Promise.allSettled(this.#pollers), this.#waitSeconds * 1000 + RECEIVE_GRACE_MS).then(() => {
        // Only a receive the network holds up is still under way here.
        this.#receiving.abort();
        return Promise.allSettled(this.#pollers);
      }),
      waitAtMost(Promise.allSettled(running.map((held) => held.finished)), this.#shutdownMs),
    ]);

    const unfinished = [...this.#held.values()].filter((held) => !held.settling);
    for (const held of unfinished) {
      held.released = true;
      clearInterval(held.heartbeat);
      clearTimeout(held.deadline);
      held.controller.abort(new PlatformError("TRANSIENT", "consumer stopping: message released"));
      held.expire?.();
    }
    await this.#release(unfinished.map((held) => held.receiptHandle));
    await Promise.allSettled(
      [...this.#held.values()].filter((held) => held.settling).map((held) => held.finished),
    );
    await this.#deleter?.drain();
    this.#logger.info({ released: unfinished.length }, "consumer stopped");
  }

  /** Makes messages visible again at once, so another consumer takes them without waiting. */
  async #release(receiptHandles: string[]): Promise<void> {
    for (let start = 0; start < receiptHandles.length; start += RECEIVE_MAX) {
      const handles = receiptHandles.slice(start, start + RECEIVE_MAX);
      try {
        const result = await this.#sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.#url,
            Entries: handles.map((handle, index) => ({
              Id: String(index),
              ReceiptHandle: handle,
              VisibilityTimeout: 0,
            })),
          }),
        );
        if (result.Failed?.length) {
          this.#logger.warn(
            { failed: result.Failed.length },
            "some messages were not released; they return after the visibility timeout",
          );
        }
      } catch (error) {
        this.#logger.warn({ err: error }, "release failed; messages return after the visibility timeout");
      }
    }
  }
}

/** Resolves when the work settles or after `ms`, whichever comes first. */
async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([work, delay(ms, undefined, { signal: timer.signal }).catch(() => {})]);
  timer.abort();
}

function catalogParser<T>(queue: string): MessageParser<T> {
  if (!(queue in messageCatalog)) {
    throw new PlatformError(
      "CONFIG_INVALID",
      `queue ${queue} has no catalog schema: pass a schema or parse function`,
    );
  }
  return messageCatalog[queue as CatalogQueue] as unknown as MessageParser<T>;
}

export type CatalogConsumerOptions<Q extends CatalogQueue> = Omit<
  ConsumerOptions<MessageOf<Q>>,
  "queue" | "schema"
> & { queue: Q };

/** A consumer of a catalog queue: the handler gets the queue's parsed message type. */
export function createConsumer<Q extends CatalogQueue>(
  deps: ConsumerDeps,
  options: CatalogConsumerOptions<Q>,
): QueueConsumer<MessageOf<Q>> {
  // The constructor takes the queue's catalog schema when none is given.
  return new QueueConsumer<MessageOf<Q>>(deps, options);
}
