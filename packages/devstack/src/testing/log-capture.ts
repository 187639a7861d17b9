// A logger whose lines a test reads back: the platform's own logger (masking, redaction,
// level labels as in production), writing its JSON lines into an array.
import { Writable } from "node:stream";
import { createLogger, type Logger } from "@isikhnas/platform";

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, parsed. */
  lines: Record<string, unknown>[];
}

export function captureLog(name: string, level = "info"): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    name,
    level,
    destination: new Writable({
      write(chunk, _encoding, callback) {
        lines.push(JSON.parse(String(chunk)));
        callback();
      },
    }),
  });
  return { logger, lines };
}
