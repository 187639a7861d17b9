// Who receives a run, grouped by the language they read: the request's own addresses
// (an ad hoc report) or the definition's rule, read on the replica.
import { bindReportSql, type ReportDefinition, type ReportRun } from "@isikhnas/domain";
import type { Queryable } from "@isikhnas/platform";

export interface Recipient {
  address: string;
  language: "id" | "en";
  name: string;
}

export async function resolveRecipients(
  replica: Queryable,
  definition: ReportDefinition,
  run: ReportRun,
): Promise<Map<"id" | "en", Recipient[]>> {
  const chosen: Recipient[] = [];
  if (run.recipients.length > 0) {
    // Addresses a request names: in their owner's language when they are a user's, else Indonesian.
    const { rows } = await replica.query<{ address: string; language: string; name: string }>(
      `SELECT c.address, u.language, u.name FROM contacts c JOIN users u ON u.id = c.user_id
       WHERE c.channel = 'email' AND c.deleted_at IS NULL AND c.address = ANY($1::text[])`,
      [run.recipients.map((address) => address.toLowerCase())],
    );
    const known = new Map(rows.map((row) => [row.address, row]));
    for (const address of run.recipients) {
      const user = known.get(address.toLowerCase());
      chosen.push({ address, language: user?.language === "en" ? "en" : "id", name: user?.name ?? address });
    }
  } else {
    const bound = bindReportSql(definition.recipients, {
      start: run.periodStart,
      end: run.periodEnd,
      scope: run.scope,
      language: "id",
      timeZone: run.timeZone,
      parameters: run.parameters,
    });
    const { rows } = await replica.query<{ address: string; language: string; name: string }>(
      bound.text,
      bound.values,
    );
    for (const row of rows) {
      chosen.push({ address: row.address, language: row.language === "en" ? "en" : "id", name: row.name });
    }
  }
  const groups = new Map<"id" | "en", Recipient[]>();
  const seen = new Set<string>();
  for (const recipient of chosen) {
    const key = recipient.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    groups.set(recipient.language, [...(groups.get(recipient.language) ?? []), recipient]);
  }
  return groups;
}
