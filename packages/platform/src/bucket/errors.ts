// S3 failures as platform errors: a missing object is NOT_FOUND, throttling and server
// faults are TRANSIENT, other refusals (access denied, bad request) are PERMANENT.
import { S3ServiceException } from "@aws-sdk/client-s3";
import { PlatformError } from "../errors.js";

const NOT_FOUND = new Set(["NoSuchKey", "NotFound"]);
const THROTTLED = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "RequestTimeout",
  "InternalError",
]);

export function classifyS3Error(error: unknown, what: string): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode ?? 0;
    if (NOT_FOUND.has(error.name) || status === 404) {
      return new PlatformError("NOT_FOUND", `${what}: not found`, { cause: error });
    }
    if (THROTTLED.has(error.name) || status === 429 || status >= 500) {
      return new PlatformError("TRANSIENT", `${what}: ${error.name}`, { cause: error });
    }
    return new PlatformError("PERMANENT", `${what}: ${error.name}`, { cause: error });
  }
  // Sockets reset, timeouts and aborted requests carry no S3 error code: try again later.
  const message = error instanceof Error ? error.message : String(error);
  return new PlatformError("TRANSIENT", `${what}: ${message}`, { cause: error });
}
