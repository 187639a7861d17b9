// Typed errors with stable codes. Consumers classify them in one place (reply, retry or
// dead-letter) instead of matching on messages.

export type ErrorCode =
  | "CONFIG_INVALID"
  | "PAYLOAD_TOO_LARGE"
  | "SCHEMA_INVALID"
  | "SEND_FAILED"
  | "NOT_FOUND"
  | "LIMIT_EXCEEDED"
  | "TRANSIENT"
  | "PERMANENT"
  /** The request may have taken effect (a mail the relay took but never confirmed): never repeat it blindly. */
  | "OUTCOME_UNKNOWN";

export class PlatformError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PlatformError";
    this.code = code;
  }
}

/** Coerces anything thrown into an Error, keeping the original as the cause. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === "string" ? value : JSON.stringify(value), { cause: value });
}

export function isPlatformError(value: unknown, code?: ErrorCode): value is PlatformError {
  return value instanceof PlatformError && (code === undefined || value.code === code);
}
