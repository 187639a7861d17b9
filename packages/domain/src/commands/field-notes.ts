// What field staff tell the system besides reports: KOM (a comment on a case), R (the
// diagnoses a response to a case led to), OB (a treatment), PNEG (nothing to report in a
// village today) and Q (a question, forwarded to the coordinators of the sender's area).
import type { CaseComment, CaseResponse, NegativeReport, Question, Treatment } from "../grammar/ast.js";
import { catalogs } from "../messages/catalog.js";
import { accepted, type CommandContext, type CommandOutcome } from "./context.js";
import {
  findCaseInArea,
  helpDeskContacts,
  lookupCodes,
  placeName,
  reportingDate,
  unknownCode,
  villageInArea,
  wordsOf,
} from "./lookups.js";

/** The message as the sender typed it, after its first `words` words (the code, a case id). */
function typedAfter(context: CommandContext, words: number): string {
  return context.text.trim().split(/\s+/).slice(words).join(" ");
}

export async function commentOnCase(context: CommandContext, command: CaseComment): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const lookup = await findCaseInArea(context, command.caseId);
  if (!lookup.ok) return lookup.outcome;
  const text = typedAfter(context, 2);
  await tx.query(
    `INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at, detail, created_by)
     VALUES ($1, 'note', $2, $3, $4, jsonb_build_object('text', $5::text), $2)`,
    [lookup.found.id, sender.id, context.inboundMessageId, context.receivedAt, text],
  );
  return accepted(catalog.commentRecorded(lookup.found.id), [], lookup.found.id);
}

export async function recordResponse(
  context: CommandContext,
  command: CaseResponse,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const diseases = lookupCodes(context, "PN");
  const invalid = unknownCode(context, "ddx", "PN", command.diagnoses, diseases);
  if (invalid) return invalid;
  const lookup = await findCaseInArea(context, command.caseId);
  if (!lookup.ok) return lookup.outcome;
  // New diagnoses join the case's differential list after those it has; the event keeps
  // what this response said.
  await tx.query(
    `WITH event AS (
       INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at, detail, created_by)
       VALUES ($1, 'response', $2, $3, $4, jsonb_build_object('diagnoses', $5::text[]), $2)
     )
     INSERT INTO case_differential_diagnoses (case_id, disease_code, rank, created_by)
     SELECT $1, d.code, coalesce((SELECT max(rank) FROM case_differential_diagnoses WHERE case_id = $1), 0) + d.n, $2
     FROM unnest($5::text[]) WITH ORDINALITY AS d (code, n)
     ON CONFLICT (case_id, disease_code) DO NOTHING`,
    [lookup.found.id, sender.id, context.inboundMessageId, context.receivedAt, command.diagnoses],
  );
  return accepted(
    catalog.responseRecorded(lookup.found.id, wordsOf(diseases, command.diagnoses, sender.language)),
    [],
    lookup.found.id,
  );
}

export async function recordTreatment(context: CommandContext, command: Treatment): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const lookup = await findCaseInArea(context, command.caseId);
  if (!lookup.ok) return lookup.outcome;
  await tx.query(
    `INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at, detail, created_by)
     VALUES ($1, 'treatment', $2, $3, $4, jsonb_build_object('drug', $5::text, 'animals', $6::int), $2)`,
    [lookup.found.id, sender.id, context.inboundMessageId, context.receivedAt, command.drug, command.count],
  );
  return accepted(
    catalog.treatmentRecorded(lookup.found.id, command.drug, command.count),
    [],
    lookup.found.id,
  );
}

export async function reportNothing(
  context: CommandContext,
  command: NegativeReport,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const where = await villageInArea(context, command.location);
  if (!where.ok) return where.outcome;
  const date = reportingDate(context.receivedAt);
  const inserted = await tx.query(
    `INSERT INTO negative_reports (reporter_id, location_id, report_date, inbound_message_id, created_by)
     VALUES ($1, $2, $3, $4, $1)
     ON CONFLICT (reporter_id, location_id, report_date) WHERE deleted_at IS NULL DO NOTHING
     RETURNING id`,
    [sender.id, where.place.id, date, context.inboundMessageId],
  );
  const place = placeName(where.place);
  return accepted(
    inserted.rows.length > 0 ? catalog.negativeRecorded(place, date) : catalog.negativeAlready(place, date),
  );
}

export async function askHelpDesk(context: CommandContext, _command: Question): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const question = typedAfter(context, 1);
  // The coordinators whose areas cover the sender's home are the help desk for that sender.
  const coordinators = await helpDeskContacts(context);
  const phone = await tx.query<{ address: string }>(
    "SELECT address FROM contacts WHERE user_id = $1 AND channel = 'sms' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    [sender.id],
  );
  const from = phone.rows[0]?.address ?? "-";
  const alerts = coordinators.map((row) => ({
    userId: row.userId,
    channel: row.channel,
    address: row.address,
    body: catalogs[row.language].questionAlert(sender.name, from, question),
  }));
  const recipients = new Set(coordinators.map((row) => row.userId)).size;
  return accepted(catalog.questionForwarded(recipients), alerts);
}
