// What a command executor sees and returns: the open transaction, the resolved sender,
// the reply language; an explicit outcome with the reply text and any alerts.
import type { Queryable } from "@isikhnas/platform";
import type { ReferenceData } from "../engine/reference.js";
import type { OutboundChannel } from "../engine/types.js";
import type { Catalog } from "../messages/catalog.js";
import type { ContactUser } from "../people/queries.js";

/** The user behind the message's contact address. */
export type Sender = ContactUser;

export interface Alert {
  userId: number;
  channel: OutboundChannel;
  address: string;
  subject?: string;
  body: string;
}

export interface CommandContext {
  tx: Queryable;
  sender: Sender;
  catalog: Catalog;
  /** Code lists, commands, settings and locations, as of this message. */
  reference: ReferenceData;
  inboundMessageId: number;
  /** The message as stored (as typed, NULs removed). */
  text: string;
  receivedAt: Date;
}

export type CommandOutcome =
  | { status: "accepted"; reply: string; alerts: Alert[]; caseId?: number }
  | { status: "rejected"; reply: string; reason: string };

export function accepted(reply: string, alerts: Alert[] = [], caseId?: number): CommandOutcome {
  return caseId === undefined
    ? { status: "accepted", reply, alerts }
    : { status: "accepted", reply, alerts, caseId };
}

export function rejected(reply: string, reason: string): CommandOutcome {
  return { status: "rejected", reply, reason };
}

export function covers(sender: Sender, locationCode: string): boolean {
  return sender.areaCodes.some((area) => locationCode.startsWith(area));
}
