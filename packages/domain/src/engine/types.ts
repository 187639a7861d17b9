// The command engine's contract with the SMS gateway and the IM bridge.
import type { Logger } from "@isikhnas/platform";

export type InboundChannel = "sms" | "im";
export type Environment = "live" | "training";
export type OutboundChannel = "sms" | "im" | "email";

export interface InboundMessage {
  channel: InboundChannel;
  /** Phone number as received (SMS) or the IM id as a string (e.g. a Telegram chat id). */
  sender: string;
  text: string;
  receivedAt: Date;
  /** Identity of the message at its source (spool file, update_id): the idempotency key. */
  externalId: string;
  environment: Environment;
}

export interface EngineOptions {
  /** Prefix of every reply; default "[iSIKHNAS]". */
  systemTag?: string;
  now?: () => Date;
  logger?: Logger;
}

export interface QueuedMessage {
  id: number;
  channel: OutboundChannel;
  address: string;
  body: string;
}

export interface InboundResult {
  inboundMessageId: number;
  /** True when this external id was already handled: nothing new was written. */
  duplicate: boolean;
  /** Null only when the golden rules forbid replying (short code, rate-limited notice). */
  reply: QueuedMessage | null;
  alerts: QueuedMessage[];
}

/**
 * The correlation id the daemons log for an inbound SMS or IM message and for what was
 * sent because of it (the reply and alerts, whose rows name it in `inbound_message_id`).
 */
export function inboundCorrelationId(inboundMessageId: number | string): string {
  return `inbound:${inboundMessageId}`;
}
