// Routing by recipient address: the live ingest address feeds the live database, the
// training alias the training database (the Sidecar).
import type { Environment } from "@isikhnas/contracts";
import type { Database } from "@isikhnas/platform";

export interface Route {
  environment: Environment;
  /** The ingest address itself: replies are sent from it. */
  address: string;
  db: Database;
}

export interface Routes {
  live: Route;
  training?: Route | undefined;
}

/** `Reports+june@Isikhnas.id` → `reports@isikhnas.id`: sub-addresses route like their base. */
export function baseAddress(address: string): string {
  const trimmed = address.trim().replace(/^<|>$/g, "").toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at < 0) return trimmed;
  const local = trimmed.slice(0, at).split("+")[0] ?? "";
  return `${local}${trimmed.slice(at)}`;
}

/**
 * The route for the first recipient that is an ingest address. No recipient at all (a
 * pipe run without one) means live; recipients that match neither address mean none.
 */
export function routeFor(routes: Routes, recipients: readonly string[]): Route | undefined {
  if (recipients.length === 0) return routes.live;
  for (const recipient of recipients.map(baseAddress)) {
    if (recipient === routes.live.address) return routes.live;
    if (routes.training && recipient === routes.training.address) return routes.training;
  }
  return undefined;
}
