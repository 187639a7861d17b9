import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { queueUrl } from "@isikhnas/platform";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack, waitFor, waitForQueueDrained } from "./index.js";

describe("test harness", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
    await stack.provision({ queues: ["emailinput"], buckets: [] });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("gives each stack its own migrated database", async () => {
    const other = await createTestStack();
    try {
      expect(other.databaseUrl).not.toBe(stack.databaseUrl);
      const client = new pg.Client({ connectionString: other.databaseUrl });
      await client.connect();
      const tables = await client.query(
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'outbound_messages'",
      );
      await client.end();
      expect(tables.rowCount).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("waits until a queue has drained, and until a probe holds", async () => {
    const url = await queueUrl(stack.sqs, stack.prefix, "emailinput");
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "{}" }));
    const received = await waitFor(async () => {
      const result = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
      return result.Messages?.[0];
    });
    await expect(waitForQueueDrained(stack, "emailinput", { timeoutMs: 300 })).rejects.toThrow(
      /timed out after 300 ms waiting for queue emailinput to drain/,
    );
    await stack.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: received.ReceiptHandle }));
    await waitForQueueDrained(stack, "emailinput");
  });
});
