// Deletes handled messages in DeleteMessageBatch calls. Messages finished in the same
// turn of the event loop share a call, which keeps a busy consumer near one delete call
// per receive instead of one per message; a lone message is deleted without waiting.
import { DeleteMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "../logger.js";

const BATCH_ENTRIES = 10;

interface PendingDelete {
  receiptHandle: string;
  settle: (deleted: boolean) => void;
}

export class DeleteBatcher {
  readonly #sqs: SQSClient;
  readonly #url: string;
  readonly #logger: Logger;
  #pending: PendingDelete[] = [];
  #scheduled = false;
  readonly #calls = new Set<Promise<void>>();

  constructor(sqs: SQSClient, url: string, logger: Logger) {
    this.#sqs = sqs;
    this.#url = url;
    this.#logger = logger;
  }

  /** Resolves true once SQS confirmed the delete; false when it did not (the message will come again). */
  delete(receiptHandle: string): Promise<boolean> {
    return new Promise((settle) => {
      this.#pending.push({ receiptHandle, settle });
      if (this.#pending.length >= BATCH_ENTRIES) {
        this.#flush();
      } else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#flush();
        });
      }
    });
  }

  /** Waits for every delete asked for so far. */
  async drain(): Promise<void> {
    this.#flush();
    while (this.#calls.size > 0) await Promise.allSettled([...this.#calls]);
  }

  #flush(): void {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, BATCH_ENTRIES);
      const call = this.#send(batch).finally(() => this.#calls.delete(call));
      this.#calls.add(call);
    }
  }

  async #send(batch: PendingDelete[]): Promise<void> {
    try {
      const result = await this.#sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#url,
          Entries: batch.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.receiptHandle })),
        }),
      );
      const failed = new Set<string>();
      for (const failure of result.Failed ?? []) {
        failed.add(failure.Id ?? "");
        this.#logger.warn(
          { code: failure.Code, reason: failure.Message },
          "delete failed; the message will be delivered again",
        );
      }
      for (const [index, entry] of batch.entries()) entry.settle(!failed.has(String(index)));
    } catch (error) {
      this.#logger.warn(
        { err: error, messages: batch.length },
        "delete failed; the messages will be delivered again",
      );
      for (const entry of batch) entry.settle(false);
    }
  }
}
