// A pass-through stream that refuses more than a given number of bytes and keeps the
// first few kilobytes, so a mail over the limit can still be answered from its headers.
// Hand-written because it is a few lines over node:stream.
import { Transform, type TransformCallback } from "node:stream";
import { PlatformError } from "@isikhnas/platform";

/** Enough for the header block of any sensible mail. */
export const HEAD_BYTES = 64 * 1024;

export class SizeLimit extends Transform {
  readonly #maxBytes: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #bytes = 0;

  constructor(maxBytes: number) {
    super();
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#headBytes < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.#headBytes);
      this.#head.push(part);
      this.#headBytes += part.length;
    }
    if (this.#bytes > this.#maxBytes) {
      callback(new PlatformError("LIMIT_EXCEEDED", `over the limit of ${this.#maxBytes} bytes`));
      return;
    }
    callback(null, chunk);
  }

  /** Bytes seen so far, including the chunk that went over the limit. */
  get byteCount(): number {
    return this.#bytes;
  }

  /** The first HEAD_BYTES bytes seen. */
  get head(): Buffer {
    return Buffer.concat(this.#head);
  }
}
