// Which channel an officer's alert takes: by IM to officers with a verified IM contact
// when the deployment says so (deployment_settings 'alerts.im_when_linked'), by SMS to
// everyone else. The engine's recipient look-ups return every contact; this picks.
import type { Queryable } from "@isikhnas/platform";

interface ChannelRecipient {
  userId: number;
  channel: "sms" | "email" | "im";
  address: string;
  verified?: boolean;
}

export async function imAlertsEnabled(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ value: unknown }>(
    "SELECT value FROM deployment_settings WHERE key = 'alerts.im_when_linked'",
  );
  return rows[0]?.value === true;
}

/**
 * Per user: IM instead of SMS when linked and `imOn` (the deployment's setting, which the
 * engine holds with its reference data), SMS otherwise; e-mail untouched.
 */
export function pickAlertChannels<R extends ChannelRecipient>(imOn: boolean, recipients: R[]): R[] {
  const linked = new Set(
    recipients.filter((r) => imOn && r.channel === "im" && r.verified !== false).map((r) => r.userId),
  );
  return recipients.filter((r) => {
    if (r.channel === "im") return linked.has(r.userId) && r.verified !== false;
    if (r.channel === "sms") return !linked.has(r.userId);
    return true;
  });
}
