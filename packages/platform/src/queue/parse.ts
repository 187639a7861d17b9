// Turns a message body into a typed value, or into a reason it cannot be one. Catalog
// queues use their zod schema; queues fed by AWS itself (mailinbound) may bring a parse
// function of their own.
import type { z } from "zod";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A zod schema, or a function that reads a JSON value and says what was wrong with it. */
export type MessageParser<T> = z.ZodType<T> | ((body: unknown) => ParseResult<T>);

const MAX_ISSUES = 10;

/** `attachment.sha256: a lower-case hex SHA-256; type: Invalid input` — short enough for an attribute. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

export function parseValue<T>(parser: MessageParser<T>, value: unknown): ParseResult<T> {
  if (typeof parser === "function") {
    try {
      return parser(value);
    } catch (error) {
      return { ok: false, reason: `parse failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const result = parser.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: describeIssues(result.error) };
}

export function parseBody<T>(parser: MessageParser<T>, body: string): ParseResult<T> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      reason: `body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return parseValue(parser, value);
}
