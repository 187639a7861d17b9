// A pass-through stream that measures what flows through it: byte count and SHA-256.
// Hand-written because it is a dozen lines over node:crypto; hashing while the bytes
// stream to S3 means a body is read once and never held whole in memory.
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export class DigestStream extends Transform {
  #hash: Hash = createHash("sha256");
  #size = 0;
  #digest: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#digest = this.#hash.digest("hex");
    callback();
  }

  // Not named `size`: lib-storage reads `Body.size` as the length of a body it cannot measure.
  /** Bytes that have passed through so far. */
  get byteCount(): number {
    return this.#size;
  }

  /** Hex SHA-256 of everything that passed through; only once the stream has ended. */
  get sha256(): string {
    if (this.#digest === undefined) throw new Error("digest read before the stream ended");
    return this.#digest;
  }
}
