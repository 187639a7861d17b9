import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { GetAccountCommand } from "@aws-sdk/client-sesv2";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Client, createSesClient, createSqsClient } from "./clients.js";

describe("AWS clients against a server that accepts and never answers", () => {
  let server: Server;
  let endpoint = "";
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((socket) => {
      // Holds the connection open and reads the request, but never writes a byte back.
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.resume();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    endpoint = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, "close");
  });

  /** A guard far above the configured timeout: without one the call would hang until this fires. */
  const guard = () => ({ abortSignal: AbortSignal.timeout(15_000) });
  const timeouts = { AWS_REGION: "us-east-1", AWS_CONNECT_TIMEOUT_MS: 1_000, AWS_REQUEST_TIMEOUT_MS: 300 };

  it("times out an SQS call with a clear error", async () => {
    const sqs = createSqsClient({ ...timeouts, AWS_ENDPOINT_URL_SQS: endpoint });
    const started = performance.now();
    const error = await sqs.send(new ListQueuesCommand({}), guard()).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    sqs.destroy();
    expect(error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining("300 ms") });
    // The SDK retries a timed-out call: three attempts of 300 ms and their backoff.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("times out an S3 call with a clear error", async () => {
    const s3 = createS3Client({ ...timeouts, AWS_ENDPOINT_URL_S3: endpoint });
    const error = await s3.send(new HeadObjectCommand({ Bucket: "b", Key: "k" }), guard()).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    s3.destroy();
    expect(error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining("300 ms") });
  });

  it("times out an SES call with a clear error", async () => {
    const ses = createSesClient({ ...timeouts, AWS_ENDPOINT_URL_SES: endpoint });
    const error = await ses.send(new GetAccountCommand({}), guard()).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    ses.destroy();
    expect(error).toMatchObject({ name: "TimeoutError", message: expect.stringContaining("300 ms") });
  });
});
