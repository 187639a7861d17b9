import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { afterEach, describe, expect, it } from "vitest";
import { cloudWatchQueueAges } from "./ages.js";

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

interface Asked {
  headers: IncomingHttpHeaders;
  body: {
    ScanBy?: string;
    StartTime?: number;
    EndTime?: number;
    MetricDataQueries: {
      Id: string;
      MetricStat: {
        Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
        Period: number;
        Stat: string;
      };
    }[];
  };
}

/**
 * An endpoint speaking CloudWatch's JSON protocol that keeps what it was asked and answers
 * with the given series. CloudWatch has no local emulator in the stack, so this stands in.
 */
async function recordingCloudWatch(
  answer: (asked: Asked) => object,
): Promise<{ endpoint: string; asked: Asked[] }> {
  const asked: Asked[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const one = { headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
      asked.push(one);
      response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
      response.end(JSON.stringify(answer(one)));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

function client(endpoint: string): CloudWatchClient {
  return new CloudWatchClient({
    endpoint,
    region: "ap-southeast-3",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

describe("queue ages from CloudWatch", () => {
  it("asks for each queue's latest maximum ApproximateAgeOfOldestMessage under its physical name", async () => {
    const cloudWatch = await recordingCloudWatch(() => ({ MetricDataResults: [] }));
    const ages = cloudWatchQueueAges(client(cloudWatch.endpoint), "prod-");
    expect(await ages(["emailinput", "reportrequest"])).toEqual(new Map());

    const [asked] = cloudWatch.asked;
    expect(asked?.headers["x-amz-target"]).toBe("GraniteServiceVersion20100801.GetMetricData");
    expect(asked?.body.ScanBy).toBe("TimestampDescending");
    expect(Number(asked?.body.EndTime) - Number(asked?.body.StartTime)).toBe(15 * 60);
    expect(asked?.body.MetricDataQueries).toEqual(
      ["prod-emailinput", "prod-reportrequest"].map((queueName, index) => ({
        Id: `q${index}`,
        MetricStat: {
          Metric: {
            Namespace: "AWS/SQS",
            MetricName: "ApproximateAgeOfOldestMessage",
            Dimensions: [{ Name: "QueueName", Value: queueName }],
          },
          Period: 60,
          Stat: "Maximum",
        },
      })),
    );
  });

  it("takes the newest value of each series, and leaves out a queue at 0 or without data", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cloudWatch = await recordingCloudWatch(() => ({
      MetricDataResults: [
        {
          Id: "q0",
          Label: "a",
          StatusCode: "Complete",
          Timestamps: [now - 60, now - 120],
          Values: [412, 352],
        },
        { Id: "q1", Label: "b", StatusCode: "Complete", Timestamps: [now - 60], Values: [0] },
        { Id: "q2", Label: "c", StatusCode: "Complete", Timestamps: [], Values: [] },
      ],
    }));
    const ages = cloudWatchQueueAges(client(cloudWatch.endpoint), "prod-");
    expect(await ages(["emailinput", "emailoutput", "reportrequest"])).toEqual(
      new Map([["emailinput", 412]]),
    );
  });

  it("fails loudly when CloudWatch refuses, so the page can say the age is unknown", async () => {
    const cloudWatch = await recordingCloudWatch(() => ({}));
    server?.removeAllListeners("request");
    server?.on("request", (_request, response) => {
      response.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
      response.end(
        JSON.stringify({
          __type: "com.amazonaws.cloudwatch#AccessDenied",
          message: "not authorized to perform: cloudwatch:GetMetricData",
        }),
      );
    });
    const ages = cloudWatchQueueAges(client(cloudWatch.endpoint), "prod-");
    await expect(ages(["emailinput"])).rejects.toThrow(/cloudwatch:GetMetricData/);
  });
});
