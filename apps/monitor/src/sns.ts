// The SNS client the monitor texts through: the monitor's own region (not the watched
// deployment's), with the same connection and response timeouts as every other AWS client.
import { SNSClient } from "@aws-sdk/client-sns";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { MonitorConfig } from "./config.js";

export function createSnsClient(
  config: Pick<
    MonitorConfig,
    | "MONITOR_SNS_REGION"
    | "AWS_REGION"
    | "AWS_ENDPOINT_URL_SNS"
    | "AWS_CONNECT_TIMEOUT_MS"
    | "MONITOR_PROBE_TIMEOUT_MS"
  >,
): SNSClient {
  const endpoint = config.AWS_ENDPOINT_URL_SNS;
  const local =
    endpoint !== undefined && ["127.0.0.1", "localhost", "[::1]"].includes(new URL(endpoint).hostname);
  return new SNSClient({
    region: config.MONITOR_SNS_REGION ?? config.AWS_REGION,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.AWS_CONNECT_TIMEOUT_MS,
      requestTimeout: Math.max(config.MONITOR_PROBE_TIMEOUT_MS, 10_000),
      throwOnRequestTimeout: true,
    }),
    ...(endpoint ? { endpoint } : {}),
    // An emulator on loopback takes any credentials; elsewhere the instance role signs.
    ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
}
