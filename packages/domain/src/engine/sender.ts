// Who sent a message: the user behind the contact address, in the shape the engine's
// permission and area checks read.
import type { Queryable } from "@isikhnas/platform";
import type { Sender } from "../commands/context.js";
import { findUserByContact } from "../people/queries.js";
import type { InboundChannel } from "./types.js";

export async function resolveSender(
  tx: Queryable,
  channel: InboundChannel,
  address: string,
): Promise<Sender | null> {
  const user = await findUserByContact(tx, channel, address);
  if (!user) return null;
  return {
    id: user.id,
    name: user.name,
    userType: user.userType,
    language: user.language,
    active: user.active,
    supervisorId: user.supervisorId,
    requiresDdx: user.requiresDdx,
    home: user.homeLocation,
    areaCodes: user.areaCodes,
  };
}
