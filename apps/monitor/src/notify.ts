// How the administrators are texted, by paths that share nothing with what is watched:
// SNS SMS from the monitor's own region (production), an SMSTools3 outgoing folder of the
// monitor's own (a modem on the monitor's host), or a webhook (another provider's SMS API).
import { randomBytes } from "node:crypto";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Incident, PendingNotice } from "./store.js";

export interface Notifier {
  readonly name: string;
  /** Resolves once every recipient's message was accepted; rejects otherwise. */
  send(text: string, recipients: readonly string[]): Promise<void>;
}

/** Longest text sent: three concatenated SMS parts. */
export const MAX_TEXT_LENGTH = 459;

function since(incident: Incident, at: Date): string {
  const minutes = Math.round((at.getTime() - Date.parse(incident.openedAt)) / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** One text for everything a round has to say, so many checks failing together make one SMS. */
export function composeText(tag: string, notice: PendingNotice, at: Date): string {
  const parts: string[] = [];
  const name = (incident: Incident) => `${incident.check} #${incident.id}`;
  if (notice.opened.length)
    parts.push(
      `DOWN: ${notice.opened.map((incident) => `${name(incident)} (${incident.detail})`).join("; ")}`,
    );
  if (notice.reminders.length)
    parts.push(
      `STILL DOWN: ${notice.reminders.map((incident) => `${name(incident)} for ${since(incident, at)}`).join("; ")}`,
    );
  if (notice.recovered.length)
    parts.push(
      `RECOVERED: ${notice.recovered
        .map((incident) => `${name(incident)} after ${since(incident, new Date(incident.resolvedAt ?? at))}`)
        .join("; ")}`,
    );
  // Plain ASCII keeps the text GSM-7: 160 characters a part rather than UCS-2's 70.
  const text = `${tag} ${parts.join(". ")}`.replace(/[^\x20-\x7e]/g, "?");
  return text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH - 3)}...` : text;
}

/** SNS SMS: one Publish per phone, transactional (priority routes, sent through quiet hours and opt-outs of promotions). */
export function snsNotifier(sns: SNSClient): Notifier {
  return {
    name: "sns",
    async send(text, recipients) {
      for (const phone of recipients) {
        await sns.send(
          new PublishCommand({
            PhoneNumber: phone.startsWith("+") ? phone : `+${phone}`,
            Message: text,
            MessageAttributes: {
              "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
            },
          }),
        );
      }
    },
  };
}

/** A file per message in SMSTools3's outgoing format, in a folder of the monitor's own. */
export function spoolNotifier(dir: string): Notifier {
  return {
    name: "spool",
    async send(text, recipients) {
      const stamp = `${Date.now()}.${randomBytes(3).toString("hex")}`;
      for (const phone of recipients) {
        const to = phone.replace(/^\+/, "");
        const name = `monitor.${stamp}.${to}`;
        const temporary = join(dir, `.${name}.tmp`);
        const handle = await open(temporary, "w", 0o664);
        try {
          await handle.writeFile(`To: ${to}\n\n${text}`, "utf8");
          await handle.datasync();
        } finally {
          await handle.close();
        }
        // smsd skips dot files, so it never sends half a message.
        await rename(temporary, join(dir, name));
      }
    },
  };
}

/** POSTs `{ "to": [...], "text": "..." }`; any answer but 2xx is a failure. */
export function webhookNotifier(url: string, timeoutMs: number): Notifier {
  return {
    name: "webhook",
    async send(text, recipients) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to: recipients, text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
    },
  };
}
