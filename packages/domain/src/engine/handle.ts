// The one entry point for SMS and IM: store, resolve, parse, check, execute, reply.
import type { Database } from "@isikhnas/platform";
import type { EngineOptions, InboundMessage, InboundResult } from "./types.js";

export async function handleInboundMessage(
  _db: Database,
  _message: InboundMessage,
  _options: EngineOptions = {},
): Promise<InboundResult> {
  throw new Error("not implemented yet");
}
