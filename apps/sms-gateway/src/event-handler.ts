// smsd's event handler: `main.js event RECEIVED|REPORT|SENT|FAILED|CALL <file> [message id]`.
// RECEIVED runs the same code as the incoming watcher; SENT and FAILED update the row the
// file belongs to.
import { basename } from "node:path";
import type { Database } from "@isikhnas/platform";
import { type DeliveryOutcome, failReason, markFailed, markSent } from "./delivery-status.js";
import { handleIncomingFile, type IncomingDeps, type IncomingOutcome } from "./incoming-handler.js";

export interface EventDeps {
  db: Database;
  incoming: IncomingDeps;
  maxAttempts: number;
}

export type EventOutcome =
  | { event: "RECEIVED" | "REPORT"; result: IncomingOutcome }
  | { event: "SENT" | "FAILED"; result: DeliveryOutcome }
  | { event: "CALL"; result: "ignored" };

class EventUsageError extends Error {
  override readonly name = "EventUsageError";
}

export async function handleSmsdEvent(deps: EventDeps, args: readonly string[]): Promise<EventOutcome> {
  const [event, file] = args;
  if (!event || !file)
    throw new EventUsageError("usage: event RECEIVED|REPORT|SENT|FAILED|CALL <file> [message id]");
  switch (event) {
    case "RECEIVED":
    case "REPORT":
      return { event, result: await handleIncomingFile(deps.incoming, file) };
    case "SENT":
      return { event, result: await markSent(deps.db, basename(file), deps.incoming.now()) };
    case "FAILED":
      return {
        event,
        result: await markFailed(deps.db, basename(file), await failReason(file), deps.maxAttempts),
      };
    case "CALL":
      return { event, result: "ignored" };
    default:
      throw new EventUsageError(`unknown smsd event ${JSON.stringify(event)}`);
  }
}
