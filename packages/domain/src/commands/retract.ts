// H: withdraws (soft-deletes) the sender's last data report from the last 24 hours.
import type { DeleteLastReport } from "../grammar/ast.js";
import { DATA_COMMANDS } from "../reference/people.js";
import { accepted, type CommandContext, type CommandOutcome } from "./context.js";
import { shortDateTime } from "./lookups.js";

const RETRACTABLE = DATA_COMMANDS.filter((code) => code !== "H");

export async function retractLastReport(
  context: CommandContext,
  _command: DeleteLastReport,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const last = await tx.query<{ id: number; normalised_text: string; received_at: Date }>(
    `SELECT id, normalised_text, received_at FROM inbound_messages
     WHERE user_id = $1 AND status = 'accepted' AND command_code = ANY($2::text[])
       AND received_at > $3::timestamptz - interval '24 hours' AND received_at <= $3 AND deleted_at IS NULL
     ORDER BY received_at DESC, id DESC LIMIT 1`,
    [sender.id, RETRACTABLE, context.receivedAt],
  );
  const report = last.rows[0];
  if (!report) return accepted(catalog.nothingToDelete());

  await tx.query(
    `WITH retracted AS (
       UPDATE inbound_messages SET status = 'retracted', modified_by = $2 WHERE id = $1
     ), cases_gone AS (
       UPDATE cases SET deleted_at = now(), deleted_by = $2 WHERE inbound_message_id = $1 AND deleted_at IS NULL
     ), submissions_gone AS (
       UPDATE lab_submissions SET deleted_at = now(), deleted_by = $2
       WHERE inbound_message_id = $1 AND deleted_at IS NULL RETURNING id
     ), specimens_gone AS (
       UPDATE specimens SET deleted_at = now(), deleted_by = $2
       WHERE submission_id IN (SELECT id FROM submissions_gone)
     ), vaccinations_gone AS (
       UPDATE vaccination_reports SET deleted_at = now(), deleted_by = $2 WHERE inbound_message_id = $1 AND deleted_at IS NULL
     ), slaughter_gone AS (
       UPDATE slaughter_reports SET deleted_at = now(), deleted_by = $2 WHERE inbound_message_id = $1 AND deleted_at IS NULL
     ), permits_gone AS (
       UPDATE movement_permits SET deleted_at = now(), deleted_by = $2
       WHERE inbound_message_id = $1 AND deleted_at IS NULL RETURNING id
     ), permit_animals_gone AS (
       UPDATE movement_permit_animals SET deleted_at = now(), deleted_by = $2
       WHERE permit_id IN (SELECT id FROM permits_gone)
     ), culling_gone AS (
       UPDATE culling_reports SET deleted_at = now(), deleted_by = $2 WHERE inbound_message_id = $1 AND deleted_at IS NULL
     ), negatives_gone AS (
       UPDATE negative_reports SET deleted_at = now(), deleted_by = $2 WHERE inbound_message_id = $1 AND deleted_at IS NULL
     ), notes_gone AS (
       UPDATE case_events SET deleted_at = now(), deleted_by = $2
       WHERE inbound_message_id = $1 AND kind IN ('note', 'response', 'treatment') AND deleted_at IS NULL
     ), population_gone AS (
       UPDATE population_counts SET deleted_at = now(), deleted_by = $2 WHERE inbound_message_id = $1 AND deleted_at IS NULL
     )
     UPDATE case_events SET deleted_at = now(), deleted_by = $2 WHERE inbound_message_id = $1 AND deleted_at IS NULL`,
    [report.id, sender.id],
  );
  // A withdrawn outcome (PK) puts the case back to its previous outcome, if any.
  await tx.query(
    `UPDATE cases c SET outcome_code = (
       SELECT e.outcome_code FROM case_events e
       WHERE e.case_id = c.id AND e.kind = 'outcome' AND e.deleted_at IS NULL
       ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
     ), modified_by = $2
     WHERE c.id IN (SELECT case_id FROM case_events WHERE inbound_message_id = $1 AND kind = 'outcome')`,
    [report.id, sender.id],
  );
  return accepted(catalog.deleted(report.normalised_text, shortDateTime(report.received_at)));
}
