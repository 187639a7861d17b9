// A 200 MB object streams in and out while this process's memory stays flat: the bucket
// never holds a body whole, only a bounded number of parts in flight.
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBucket } from "./bucket.js";

const MiB = 1024 * 1024;
const OBJECT_BYTES = 200 * MiB;
/** Chunks the size a file or socket stream hands out. */
const CHUNK_BYTES = 64 * 1024;
// Well below the object's size, so a body held whole fails. On Node 24 the RSS growth is
// +60–110 MiB whether the object is 200 or 600 MB: V8 frees consumed chunks' memory
// later than Node 20 did (+25–35 MiB), but it stays flat in the object's size.
const GROWTH_LIMIT_BYTES = 128 * MiB;

/** Peak resident set and heap seen by sampling while `work` runs. */
async function peakMemoryDuring(work: (sample: () => void) => Promise<void>) {
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(sample, 20);
  try {
    await work(sample);
  } finally {
    clearInterval(timer);
  }
  sample();
  return { rssGrowth: peakRss - start.rss, heapGrowth: peakHeap - start.heapUsed };
}

describe("bucket memory", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await createTestStack({ database: false });
    await stack.provision();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("streams a 200 MB object up and down with memory growth far below its size", async () => {
    const bucket = createBucket({ s3: stack.s3 }, { name: "reports", prefix: stack.prefix });
    // One small multipart round trip first, so one-time costs (lazily loaded SDK parts,
    // compiled code, connection pools) land in the baseline rather than in the growth.
    await bucket.put("warm/up.bin", Readable.from([randomBytes(6 * MiB), randomBytes(MiB)]));
    await (await bucket.get("warm/up.bin")).body.toArray();
    const sent = createHash("sha256");
    const received = createHash("sha256");
    let receivedBytes = 0;
    let stored = { size: 0, sha256: "" };

    // The body is generated on demand from a ring of random chunks, so it never exists
    // whole and the generator itself makes no garbage to blur the measurement. The ring
    // (61 chunks) does not divide the part size, so misplaced parts would change the hash.
    const ring = Array.from({ length: 61 }, () => randomBytes(CHUNK_BYTES));
    const upload = await peakMemoryDuring(async (sample) => {
      const body = Readable.from(
        (function* () {
          for (let index = 0; index * CHUNK_BYTES < OBJECT_BYTES; index += 1) {
            const chunk = ring[index % ring.length] as Buffer;
            sent.update(chunk);
            sample();
            yield chunk;
          }
        })(),
      );
      stored = await bucket.put("big/generated.bin", body);
    });
    const download = await peakMemoryDuring(async (sample) => {
      const object = await bucket.get("big/generated.bin");
      for await (const chunk of object.body as AsyncIterable<Buffer>) {
        received.update(chunk);
        receivedBytes += chunk.length;
        sample();
      }
    });
    await bucket.delete("big/generated.bin");

    expect(stored.size).toBe(OBJECT_BYTES);
    expect(stored.sha256).toBe(sent.digest("hex"));
    expect(receivedBytes).toBe(OBJECT_BYTES);
    expect(received.digest("hex")).toBe(stored.sha256);
    const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
    console.info(
      `200 MB up: RSS +${mib(upload.rssGrowth)}, heap +${mib(upload.heapGrowth)}; ` +
        `down: RSS +${mib(download.rssGrowth)}, heap +${mib(download.heapGrowth)}`,
    );
    for (const phase of [upload, download]) {
      expect(phase.rssGrowth).toBeLessThan(GROWTH_LIMIT_BYTES);
      expect(phase.heapGrowth).toBeLessThan(GROWTH_LIMIT_BYTES);
    }
  }, 180_000);
});
