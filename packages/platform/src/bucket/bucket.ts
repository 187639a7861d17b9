// A bucket as a handler sees it: put, get, head, delete and presigned links by key,
// streaming both ways so an object of any size passes through in bounded memory.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { isPlatformError, PlatformError } from "../errors.js";
import { BUCKETS, type BucketName, physicalBucketName } from "../resources.js";
import { DigestStream } from "./digest.js";
import { classifyS3Error } from "./errors.js";

export type ObjectBody = Readable | Buffer | Uint8Array | string;

export interface PutOptions {
  contentType?: string;
  /** User metadata; keys are lower-cased by S3. Values may hold any Unicode text. */
  metadata?: Record<string, string>;
  signal?: AbortSignal;
}

export interface StoredObject {
  key: string;
  size: number;
  /** Hex SHA-256 of the bytes stored, computed while they streamed. */
  sha256: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string | undefined;
  metadata: Record<string, string>;
  lastModified: Date | undefined;
}

export interface BucketObject extends ObjectInfo {
  /** Read it to the end or destroy it: an unread body holds its connection open. */
  body: Readable;
}

export interface Bucket {
  /** Logical name, e.g. "queuefiles". */
  readonly name: string;
  /** Name of the bucket in S3 (prefix + logical name). */
  readonly physicalName: string;
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<StoredObject>;
  /** Throws PlatformError NOT_FOUND when there is no such object. */
  get(key: string, options?: { signal?: AbortSignal }): Promise<BucketObject>;
  /** The object's description, or undefined when there is no such object. */
  head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo | undefined>;
  exists(key: string, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Deleting a missing object is not an error (S3 semantics). */
  delete(key: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** A URL anyone can GET the object with until it expires. */
  presignGet(key: string, expiresInSeconds: number, options?: { downloadFilename?: string }): Promise<string>;
}

export interface BucketDeps {
  s3: S3Client;
}

export interface BucketOptions {
  name: string;
  /** Deployment prefix (RESOURCE_PREFIX). */
  prefix: string;
  /** Multipart part size in bytes; 5 MiB is the S3 minimum. */
  partSizeBytes?: number;
  /** Parts uploaded at once; memory held is about partSizeBytes × partsInFlight. */
  partsInFlight?: number;
}

export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
// Two parts in flight keep an upload near 30 MB of memory (measured by the 200 MB test);
// four, the library default, nearly doubles that for little gain on our object sizes.
const DEFAULT_PARTS_IN_FLIGHT = 2;
/** The longest a SigV4 presigned URL may live. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export function createBucket(deps: BucketDeps, options: BucketOptions): Bucket {
  const { s3 } = deps;
  const physicalName = physicalBucketName(options.prefix, options.name);
  const partSize = Math.max(options.partSizeBytes ?? MIN_PART_SIZE_BYTES, MIN_PART_SIZE_BYTES);
  const queueSize = options.partsInFlight ?? DEFAULT_PARTS_IN_FLIGHT;

  async function head(key: string, signal?: AbortSignal): Promise<ObjectInfo | undefined> {
    checkKey(key);
    try {
      const output = await s3.send(new HeadObjectCommand({ Bucket: physicalName, Key: key }), {
        abortSignal: signal,
      });
      return describe(key, output);
    } catch (error) {
      const classified = failure(error, `head ${physicalName}/${key}`, signal);
      if (isPlatformError(classified, "NOT_FOUND")) return undefined;
      throw classified;
    }
  }

  return {
    name: options.name,
    physicalName,

    async put(key, body, putOptions = {}) {
      checkKey(key);
      putOptions.signal?.throwIfAborted();
      const source =
        typeof body === "string" || body instanceof Uint8Array ? Readable.from([toBuffer(body)]) : body;
      const digest = new DigestStream();
      const abortController = new AbortController();
      const onAbort = () => abortController.abort(putOptions.signal?.reason);
      putOptions.signal?.addEventListener("abort", onAbort, { once: true });
      const upload = new Upload({
        client: s3,
        partSize,
        queueSize,
        abortController,
        params: {
          Bucket: physicalName,
          Key: key,
          Body: digest,
          ContentType: putOptions.contentType ?? "application/octet-stream",
          Metadata: encodeMetadata(putOptions.metadata ?? {}),
        },
      });
      // Both sides must finish: the source drained through the digest, and S3 acknowledging
      // the object. Whichever fails first tears the other down, so neither is left hanging,
      // and its error is the one reported.
      let firstError: unknown;
      const uploading = upload.done().then(
        () => undefined,
        (error: unknown) => {
          firstError ??= error;
          source.destroy();
          digest.destroy();
        },
      );
      const piping = pipeline(source, digest).catch((error: unknown) => {
        firstError ??= error;
        abortController.abort(error);
      });
      try {
        await Promise.all([uploading, piping]);
      } finally {
        putOptions.signal?.removeEventListener("abort", onAbort);
      }
      if (firstError !== undefined)
        throw failure(firstError, `put ${physicalName}/${key}`, putOptions.signal);
      return { key, size: digest.byteCount, sha256: digest.sha256 };
    },

    async get(key, getOptions = {}) {
      checkKey(key);
      let output: GetObjectCommandOutput;
      try {
        output = await s3.send(new GetObjectCommand({ Bucket: physicalName, Key: key }), {
          abortSignal: getOptions.signal,
        });
      } catch (error) {
        throw failure(error, `get ${physicalName}/${key}`, getOptions.signal);
      }
      // In Node the SDK answers with an IncomingMessage, which is a Readable.
      if (!(output.Body instanceof Readable)) {
        throw new PlatformError("PERMANENT", `get ${physicalName}/${key}: body is not a Node stream`);
      }
      return { ...describe(key, output), body: output.Body };
    },

    head: (key, headOptions = {}) => head(key, headOptions.signal),

    async exists(key, existsOptions = {}) {
      return (await head(key, existsOptions.signal)) !== undefined;
    },

    async delete(key, deleteOptions = {}) {
      checkKey(key);
      try {
        await s3.send(new DeleteObjectCommand({ Bucket: physicalName, Key: key }), {
          abortSignal: deleteOptions.signal,
        });
      } catch (error) {
        throw failure(error, `delete ${physicalName}/${key}`, deleteOptions.signal);
      }
    },

    async presignGet(key, expiresInSeconds, presignOptions = {}) {
      checkKey(key);
      if (
        !Number.isInteger(expiresInSeconds) ||
        expiresInSeconds < 1 ||
        expiresInSeconds > MAX_PRESIGN_SECONDS
      ) {
        throw new PlatformError(
          "SCHEMA_INVALID",
          `presigned URL lifetime must be 1..${MAX_PRESIGN_SECONDS} seconds, got ${expiresInSeconds}`,
        );
      }
      const command = new GetObjectCommand({
        Bucket: physicalName,
        Key: key,
        ...(presignOptions.downloadFilename
          ? { ResponseContentDisposition: contentDisposition(presignOptions.downloadFilename) }
          : {}),
      });
      return getSignedUrl(s3, command, { expiresIn: expiresInSeconds });
    },
  };
}

export type Buckets = Readonly<Record<BucketName, Bucket>>;

/** Every logical bucket of the system under one deployment prefix. */
export function createBuckets(deps: BucketDeps, options: Omit<BucketOptions, "name">): Buckets {
  const entries = BUCKETS.map((name) => [name, createBucket(deps, { ...options, name })] as const);
  return Object.freeze(Object.fromEntries(entries) as Record<BucketName, Bucket>);
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > 1024 || key.startsWith("/")) {
    throw new PlatformError("SCHEMA_INVALID", `invalid object key ${JSON.stringify(key)}`);
  }
}

function failure(error: unknown, what: string, signal: AbortSignal | undefined): Error {
  // A caller that cancelled wants its own reason back, not a classification.
  if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error(`${what}: aborted`);
  return classifyS3Error(error, what);
}

function toBuffer(body: string | Uint8Array): Buffer {
  if (typeof body === "string") return Buffer.from(body, "utf8");
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function describe(key: string, output: HeadObjectCommandOutput | GetObjectCommandOutput): ObjectInfo {
  return {
    key,
    size: output.ContentLength ?? 0,
    contentType: output.ContentType,
    metadata: decodeMetadata(output.Metadata ?? {}),
    lastModified: output.LastModified,
  };
}

// S3 metadata travels as HTTP headers, which carry ASCII only; names of people and places
// need not be. Values are percent-encoded on the way in and decoded on the way out.
function encodeMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [name, encodeURIComponent(value)]),
  );
}

function decodeMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => {
      try {
        return [name, decodeURIComponent(value)];
      } catch {
        // Written by something other than this module (e.g. SES inbound): keep it as is.
        return [name, value];
      }
    }),
  );
}

function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
