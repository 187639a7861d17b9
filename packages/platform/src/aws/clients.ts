// AWS SDK v3 clients pointed at AWS or at a local endpoint. One code path: only the
// endpoint differs.
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { AwsConfig } from "../config/common.js";

type Endpoints = Pick<
  AwsConfig,
  "AWS_REGION" | "AWS_ENDPOINT_URL" | "AWS_ENDPOINT_URL_SQS" | "AWS_ENDPOINT_URL_S3" | "AWS_ENDPOINT_URL_SES"
>;

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

export function createSqsClient(config: Endpoints): SQSClient {
  // The endpoint must be passed explicitly: with only AWS_ENDPOINT_URL_SQS in the
  // environment the SDK sends calls to the host inside the queue URL instead.
  return new SQSClient({
    region: config.AWS_REGION,
    ...endpointSettings(config.AWS_ENDPOINT_URL_SQS ?? config.AWS_ENDPOINT_URL),
  });
}

export function createS3Client(config: Endpoints): S3Client {
  const endpoint = config.AWS_ENDPOINT_URL_S3 ?? config.AWS_ENDPOINT_URL;
  return new S3Client({
    region: config.AWS_REGION,
    ...endpointSettings(endpoint),
    ...(endpoint ? { forcePathStyle: true } : {}),
  });
}

export function createSesClient(config: Endpoints): SESv2Client {
  return new SESv2Client({
    region: config.AWS_REGION,
    ...endpointSettings(config.AWS_ENDPOINT_URL_SES ?? config.AWS_ENDPOINT_URL),
  });
}
