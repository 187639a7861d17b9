import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPlatformError } from "../errors.js";
import { type Bucket, createBucket, createBuckets, MIN_PART_SIZE_BYTES } from "./bucket.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Hands `bytes` out in small chunks, as a socket or file would. */
function trickle(bytes: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize)
        yield bytes.subarray(offset, offset + chunkSize);
    })(),
  );
}

describe("bucket", () => {
  let stack: TestStack;
  let bucket: Bucket;

  beforeAll(async () => {
    stack = await createTestStack({ database: false });
    await stack.provision();
    bucket = createBucket({ s3: stack.s3 }, { name: "queuefiles", prefix: stack.prefix });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("stores and returns a body byte-identical, with its SHA-256 computed on the way in", async () => {
    const bytes = randomBytes(300_000);
    const stored = await bucket.put("in/sample.bin", trickle(bytes), {
      contentType: "application/vnd.ms-excel",
      metadata: { sender: "dinas@example.go.id", filename: "Laporan Kab. Bantul – Mei.xls" },
    });
    expect(stored).toEqual({ key: "in/sample.bin", size: bytes.length, sha256: sha256(bytes) });

    const object = await bucket.get("in/sample.bin");
    expect(object.size).toBe(bytes.length);
    expect(object.contentType).toBe("application/vnd.ms-excel");
    expect(object.metadata).toEqual({
      sender: "dinas@example.go.id",
      filename: "Laporan Kab. Bantul – Mei.xls",
    });
    expect((await buffer(object.body)).equals(bytes)).toBe(true);
  });

  it("accepts strings and buffers as bodies", async () => {
    const text = "kode;jumlah\nSAPI;3\n";
    expect(await bucket.put("in/text.csv", text, { contentType: "text/csv" })).toMatchObject({
      size: Buffer.byteLength(text),
      sha256: sha256(Buffer.from(text)),
    });
    expect((await buffer((await bucket.get("in/text.csv")).body)).toString("utf8")).toBe(text);
  });

  it("uploads a body larger than the part size in several parts", async () => {
    const bytes = randomBytes(MIN_PART_SIZE_BYTES * 2 + 12_345);
    const stored = await bucket.put("in/large.bin", trickle(bytes));
    expect(stored.sha256).toBe(sha256(bytes));
    // A multipart object's ETag is "<md5 of the part md5s>-<number of parts>".
    const head = await stack.s3.send(
      new HeadObjectCommand({ Bucket: bucket.physicalName, Key: "in/large.bin" }),
    );
    expect(head.ETag).toMatch(/-3"?$/);
    const roundTrip = await buffer((await bucket.get("in/large.bin")).body);
    expect(sha256(roundTrip)).toBe(stored.sha256);
  });

  it("answers head, exists and delete, and reports a missing object as NOT_FOUND", async () => {
    await bucket.put("in/short-lived.txt", "sebentar", { contentType: "text/plain" });
    expect(await bucket.exists("in/short-lived.txt")).toBe(true);
    expect(await bucket.head("in/short-lived.txt")).toMatchObject({ size: 8, contentType: "text/plain" });

    await bucket.delete("in/short-lived.txt");
    expect(await bucket.exists("in/short-lived.txt")).toBe(false);
    expect(await bucket.head("in/short-lived.txt")).toBeUndefined();
    const missing = await bucket.get("in/short-lived.txt").catch((error: unknown) => error);
    expect(isPlatformError(missing, "NOT_FOUND")).toBe(true);
    await expect(bucket.delete("in/short-lived.txt")).resolves.toBeUndefined();
  });

  it("fails a put whose source stream breaks, leaving no object behind", async () => {
    const broken = Readable.from(
      (async function* () {
        yield randomBytes(1024);
        throw new Error("disk unplugged");
      })(),
    );
    await expect(bucket.put("in/broken.bin", broken)).rejects.toThrow(/disk unplugged/);
    expect(await bucket.exists("in/broken.bin")).toBe(false);
  });

  it("hands out a presigned GET URL that works with plain fetch and carries its expiry", async () => {
    const bytes = randomBytes(4096);
    await bucket.put("out/rekap.xlsx", bytes);
    const url = await bucket.presignGet("out/rekap.xlsx", 900, { downloadFilename: "rekap Mei.xlsx" });
    const parsed = new URL(url);
    expect(parsed.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(parsed.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    await expect(bucket.presignGet("out/rekap.xlsx", 0)).rejects.toMatchObject({ code: "SCHEMA_INVALID" });
  });

  it("builds one bucket per logical name under the prefix", () => {
    const buckets = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix });
    expect(buckets.reports.physicalName).toBe(`${stack.prefix}reports`);
    expect(Object.keys(buckets).sort()).toEqual([
      "emailattachments",
      "images",
      "queuefiles",
      "rawmail",
      "reports",
    ]);
  });
});
