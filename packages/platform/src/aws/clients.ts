// AWS SDK v3 clients pointed at AWS or at a local endpoint. One code path: only the
// endpoint differs. Every client gives up on a connection or a response that does not
// come, so one hung call cannot hold a queue message for ever.
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsConfig } from "../config/common.js";

type Endpoints = Pick<
  AwsConfig,
  "AWS_REGION" | "AWS_ENDPOINT_URL" | "AWS_ENDPOINT_URL_SQS" | "AWS_ENDPOINT_URL_S3" | "AWS_ENDPOINT_URL_SES"
>;

/** What the clients need; the timeouts take the schema's defaults when absent. */
export type ClientConfig = Endpoints &
  Partial<Pick<AwsConfig, "AWS_CONNECT_TIMEOUT_MS" | "AWS_REQUEST_TIMEOUT_MS">>;

/** The schema's defaults, for callers that build the settings by hand (tests, the local stack). */
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * The endpoint when one is set, with credentials when it is an emulator on loopback (they
 * accept anything); real deployments name no endpoint and use the instance role.
 */
function endpointSettings(endpoint: string | undefined) {
  if (!endpoint) return {};
  const host = new URL(endpoint).hostname;
  const local = host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]";
  return local ? { endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } } : { endpoint };
}

/**
 * The SDK's own handler has no timeouts at all. The request timeout runs until the
 * response's headers arrive, so it bounds a silent server but not a long streamed body;
 * without `throwOnRequestTimeout` it would only log a warning.
 */
function requestHandler(config: ClientConfig): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: config.AWS_CONNECT_TIMEOUT_MS ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeout: config.AWS_REQUEST_TIMEOUT_MS ?? DEFAULT_REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  });
}

export function createSqsClient(config: ClientConfig): SQSClient {
  // The endpoint must be passed explicitly: with only AWS_ENDPOINT_URL_SQS in the
  // environment the SDK sends calls to the host inside the queue URL instead.
  return new SQSClient({
    region: config.AWS_REGION,
    requestHandler: requestHandler(config),
    ...endpointSettings(config.AWS_ENDPOINT_URL_SQS ?? config.AWS_ENDPOINT_URL),
  });
}

export function createS3Client(config: ClientConfig): S3Client {
  const endpoint = config.AWS_ENDPOINT_URL_S3 ?? config.AWS_ENDPOINT_URL;
  return new S3Client({
    region: config.AWS_REGION,
    requestHandler: requestHandler(config),
    ...endpointSettings(endpoint),
    ...(endpoint ? { forcePathStyle: true } : {}),
  });
}

export function createSesClient(config: ClientConfig): SESv2Client {
  return new SESv2Client({
    region: config.AWS_REGION,
    requestHandler: requestHandler(config),
    ...endpointSettings(config.AWS_ENDPOINT_URL_SES ?? config.AWS_ENDPOINT_URL),
  });
}
