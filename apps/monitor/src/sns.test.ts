import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { snsNotifier } from "./notify.js";
import { createSnsClient } from "./sns.js";

let stack: TestStack;
let server: Server | undefined;

beforeEach(async () => {
  stack = await createTestStack({ database: false });
});

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  await stack.close();
});

function config(endpoint: string) {
  return loadConfig({
    ...stack.env,
    AWS_ENDPOINT_URL_SNS: endpoint,
    MONITOR_SNS_REGION: "ap-southeast-1",
    MONITOR_ADMIN_PHONES: "6281200000001",
  });
}

/**
 * An endpoint that speaks SNS's query protocol and keeps what it was asked, standing in
 * for SNS because the local emulator cannot take a Publish to a phone number (below).
 */
async function recordingSns(): Promise<{ endpoint: string; requests: URLSearchParams[] }> {
  const requests: URLSearchParams[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${requests.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe("SNS SMS", () => {
  it("fauxqs takes no Publish to a phone number (it needs a topic), so SNS SMS cannot be tried against it", async () => {
    const endpoint = stack.env.AWS_ENDPOINT_URL_SQS ?? "";
    const sns = createSnsClient(config(endpoint));
    try {
      await expect(snsNotifier(sns).send("[iSIKHNAS MONITOR] DOWN: x", ["6281200000001"])).rejects.toThrow(
        /TopicArn is required/,
      );
    } finally {
      sns.destroy();
    }
  });

  it("publishes one transactional SMS per administrator, to the number in E.164 form", async () => {
    const sns = await recordingSns();
    const client = createSnsClient(config(sns.endpoint));
    try {
      await snsNotifier(client).send("[iSIKHNAS MONITOR] DOWN: canary #1", [
        "6281200000001",
        "+6281200000002",
      ]);
    } finally {
      client.destroy();
    }
    expect(sns.requests.map((request) => Object.fromEntries(request))).toEqual(
      ["+6281200000001", "+6281200000002"].map((phone) => ({
        Action: "Publish",
        Version: "2010-03-31",
        PhoneNumber: phone,
        Message: "[iSIKHNAS MONITOR] DOWN: canary #1",
        "MessageAttributes.entry.1.Name": "AWS.SNS.SMS.SMSType",
        "MessageAttributes.entry.1.Value.DataType": "String",
        "MessageAttributes.entry.1.Value.StringValue": "Transactional",
      })),
    );
  });
});
