// The business: code lists, locations, users and permissions, the command grammar and
// engine, Excel templates, report definitions.
export { handleInboundMessage } from "./engine/handle.js";
export type {
  EngineOptions,
  Environment,
  InboundChannel,
  InboundMessage,
  InboundResult,
  OutboundChannel,
  QueuedMessage,
} from "./engine/types.js";
export { migrationsDir } from "./migrations.js";
export { isShortCodeOrAlphanumeric, normalisePhone } from "./people/phone.js";
