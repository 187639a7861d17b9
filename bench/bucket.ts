// Bucket streaming against the S3 emulator: one large generated object up and down, with
// throughput each way and the peak memory of the process doing the streaming.
// The emulator keeps objects in memory, so it runs in this process and the streaming in a
// child process: the child's RSS is the bucket's footprint alone.
// Run: npm run bench:bucket [-- --megabytes 200 --parts-in-flight 2 --part-size-mb 5]
import { fork } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEmulators } from "@isikhnas/devstack";
import { createBucket, createS3Client, provisionBucket } from "@isikhnas/platform";
import { figure, recordFigures } from "./figures.js";

const { values: args } = parseArgs({
  options: {
    megabytes: { type: "string", default: "200" },
    "parts-in-flight": { type: "string", default: "2" },
    "part-size-mb": { type: "string", default: "5" },
    /** Internal: set on the child that does the streaming. */
    endpoint: { type: "string" },
  },
});
const MiB = 1024 * 1024;
const totalBytes = Number(args.megabytes) * MiB;
const chunkBytes = 64 * 1024;

interface Phase {
  megabytesPerSecond: number;
  /** Peak RSS above the RSS at the phase's start. */
  rssGrowthMiB: number;
}

interface Figures {
  up: Phase;
  down: Phase;
  baselineRssMiB: number;
  peakRssMiB: number;
  intact: boolean;
}

/** Runs `work`, sampling RSS every 10 ms. */
async function measure(work: () => Promise<void>): Promise<Phase & { peak: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const began = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - began) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { megabytesPerSecond: totalBytes / MiB / seconds, rssGrowthMiB: (peak - start) / MiB, peak };
}

async function stream(endpoint: string): Promise<Figures> {
  const s3 = createS3Client({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: endpoint });
  const prefix = "bench-";
  await provisionBucket(s3, prefix, "reports");
  const bucket = createBucket(
    { s3 },
    {
      name: "reports",
      prefix,
      partsInFlight: Number(args["parts-in-flight"]),
      partSizeBytes: Number(args["part-size-mb"]) * MiB,
    },
  );
  // A small multipart round trip first, so one-time costs (lazily loaded SDK parts,
  // compiled code, connections) are not counted as the cost of streaming.
  await bucket.put("bench/warm-up.bin", Readable.from([randomBytes(6 * MiB), randomBytes(MiB)]));
  await (await bucket.get("bench/warm-up.bin")).body.toArray();
  const baseline = process.memoryUsage().rss;

  // Generated on demand from a ring of random chunks: never whole in memory, and cheap
  // enough that the figures measure the bucket rather than the generator.
  const ring = Array.from({ length: 61 }, () => randomBytes(chunkBytes));
  const body = Readable.from(
    (function* () {
      for (let index = 0; index * chunkBytes < totalBytes; index += 1)
        yield ring[index % ring.length] as Buffer;
    })(),
  );
  let stored = { size: 0, sha256: "" };
  const up = await measure(async () => {
    stored = await bucket.put("bench/large.bin", body);
  });
  const hash = createHash("sha256");
  const down = await measure(async () => {
    const object = await bucket.get("bench/large.bin");
    for await (const chunk of object.body as AsyncIterable<Buffer>) hash.update(chunk);
  });
  await bucket.delete("bench/large.bin");
  s3.destroy();

  return {
    up: { megabytesPerSecond: up.megabytesPerSecond, rssGrowthMiB: up.rssGrowthMiB },
    down: { megabytesPerSecond: down.megabytesPerSecond, rssGrowthMiB: down.rssGrowthMiB },
    baselineRssMiB: baseline / MiB,
    peakRssMiB: Math.max(up.peak, down.peak) / MiB,
    intact: stored.size === totalBytes && hash.digest("hex") === stored.sha256,
  };
}

if (args.endpoint) {
  const figures = await stream(args.endpoint);
  // Letting go of the IPC channel lets the child exit once its figures are delivered.
  process.send?.(figures, () => process.disconnect());
} else {
  const emulators = await startEmulators();
  try {
    const child = fork(
      fileURLToPath(import.meta.url),
      [...process.argv.slice(2), "--endpoint", emulators.awsEndpoint],
      {
        execArgv: process.execArgv,
      },
    );
    let figures: Figures | undefined;
    child.once("message", (message) => {
      figures = message as Figures;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (code !== 0 || figures === undefined) throw new Error(`streaming process exited with ${code}`);
    const fixed = (value: number) => value.toFixed(1);
    console.log(
      `bucket ${args.megabytes} MB (parts of ${args["part-size-mb"]} MiB, ${args["parts-in-flight"]} in flight), S3 emulator on loopback`,
    );
    console.log(
      `  up:   ${fixed(figures.up.megabytesPerSecond)} MB/s, peak RSS +${fixed(figures.up.rssGrowthMiB)} MiB`,
    );
    console.log(
      `  down: ${fixed(figures.down.megabytesPerSecond)} MB/s, peak RSS +${fixed(figures.down.rssGrowthMiB)} MiB`,
    );
    console.log(
      `  streaming process RSS: ${fixed(figures.baselineRssMiB)} MiB after warm-up, peak ${fixed(figures.peakRssMiB)} MiB`,
    );
    console.log(`  round trip byte-identical (SHA-256): ${figures.intact ? "yes" : "NO"}`);
    if (!figures.intact) throw new Error("the object came back different");
    recordFigures([
      figure("bucket.upload", figures.up.megabytesPerSecond, "MB/s"),
      figure("bucket.upload.rssGrowth", figures.up.rssGrowthMiB, "MiB"),
      figure("bucket.download", figures.down.megabytesPerSecond, "MB/s"),
      figure("bucket.download.rssGrowth", figures.down.rssGrowthMiB, "MiB"),
    ]);
  } finally {
    await emulators.stop();
  }
}
