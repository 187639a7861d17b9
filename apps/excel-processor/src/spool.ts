// Copies an attachment from the bucket to a private temporary file: the zip guard needs
// random access to the central directory, and the reader then streams from disk. The
// copy is checked against the size limit and the SHA-256 the message announced.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Bucket, PlatformError } from "@isikhnas/platform";

export interface SpooledFile {
  path: string;
  size: number;
  remove(): Promise<void>;
}

export class SpoolTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`attachment exceeds ${limit} bytes`);
    this.name = "SpoolTooLarge";
  }
}

export async function spoolObject(
  bucket: Bucket,
  key: string,
  options: { expectedSha256: string; maxBytes: number; workDir?: string | undefined; signal?: AbortSignal },
): Promise<SpooledFile> {
  const dir = await mkdtemp(join(options.workDir ?? tmpdir(), "excel-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const object = await bucket.get(key, options.signal ? { signal: options.signal } : {});
    const hash = createHash("sha256");
    let size = 0;
    const path = join(dir, "upload.xlsx");
    await pipeline(
      object.body,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size > options.maxBytes) return callback(new SpoolTooLarge(options.maxBytes));
          hash.update(chunk);
          callback(null, chunk);
        },
      }),
      createWriteStream(path, { mode: 0o600 }),
      ...(options.signal ? [{ signal: options.signal }] : []),
    );
    const sha256 = hash.digest("hex");
    if (sha256 !== options.expectedSha256) {
      throw new PlatformError(
        "PERMANENT",
        `object ${key} has SHA-256 ${sha256}, the message announced ${options.expectedSha256}`,
      );
    }
    return { path, size, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
