// Message attributes the queue layer uses (correlation id, dead-letter reason) and the
// size rule SQS applies to a message: body plus every attribute's name, type and value.
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { PlatformError } from "../errors.js";

/** SQS refuses messages (body and attributes together) above this many bytes. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** SQS allows at most this many message attributes. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

export const CORRELATION_ID = "correlationId";
export const DEAD_LETTER_REASON = "deadLetterReason";

export type MessageAttributes = Record<string, MessageAttributeValue>;

export function stringAttribute(value: string): MessageAttributeValue {
  return { DataType: "String", StringValue: value };
}

export function messageBytes(body: string, attributes: MessageAttributes = {}): number {
  let total = Buffer.byteLength(body, "utf8");
  for (const [name, value] of Object.entries(attributes)) {
    total += Buffer.byteLength(name, "utf8") + Buffer.byteLength(value.DataType ?? "", "utf8");
    if (value.StringValue !== undefined) total += Buffer.byteLength(value.StringValue, "utf8");
    if (value.BinaryValue !== undefined) total += value.BinaryValue.byteLength;
  }
  return total;
}

/** Refuses a message SQS would refuse, with an answer that says where large data belongs. */
export function assertMessageFits(queue: string, body: string, attributes: MessageAttributes): number {
  const bytes = messageBytes(body, attributes);
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new PlatformError(
      "PAYLOAD_TOO_LARGE",
      `message for ${queue} is ${bytes} bytes, over the SQS limit of ${MAX_MESSAGE_BYTES}: files go to buckets, messages carry references`,
    );
  }
  return bytes;
}

/** String attributes as a plain record, for handlers and logs. */
export function readStringAttributes(attributes: MessageAttributes | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value.StringValue !== undefined) result[name] = value.StringValue;
  }
  return result;
}
