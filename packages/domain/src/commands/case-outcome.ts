// PK: the outcome of a case (recovered, still sick, dead), copied to the reporter's supervisor.
import { prepared } from "@isikhnas/platform";
import type { CaseOutcome } from "../grammar/ast.js";
import { catalogs, type Language } from "../messages/catalog.js";
import { accepted, type CommandContext, type CommandOutcome, rejected } from "./context.js";
import {
  alertContactsSql,
  alertRecipients,
  findCaseInArea,
  label,
  labelOf,
  lookupCodes,
  lowerFirst,
  type RecipientRow,
} from "./lookups.js";

const RECORD_OUTCOME = prepared(
  "engine.record_outcome",
  `WITH event AS (
     INSERT INTO case_events (case_id, kind, outcome_code, user_id, inbound_message_id, occurred_at, created_by)
     VALUES ($1, 'outcome', $2, $3, $4, $5, $3)
   ), updated AS (
     UPDATE cases SET outcome_code = $2, modified_by = $3 WHERE id = $1
   )
   ${alertContactsSql("SELECT $6::bigint")}`,
);

export async function recordOutcome(context: CommandContext, command: CaseOutcome): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const outcomes = lookupCodes(context, "HS");
  if (!outcomes.has(command.outcome)) {
    // Three outcomes: the reply lists them rather than sending the user to KODE.
    const choices = [...outcomes]
      .map(([code, labels]) => `${code} ${lowerFirst(label(labels, sender.language))}`)
      .join("; ");
    return rejected(
      catalog.unknownChoice("outcome", command.outcome, choices),
      `unknown outcome ${command.outcome}`,
    );
  }
  const lookup = await findCaseInArea(context, command.caseId);
  if (!lookup.ok) return lookup.outcome;
  const found = lookup.found;

  // The outcome is written and the supervisor's contacts read in one statement.
  const written = await tx.query<RecipientRow>(RECORD_OUTCOME, [
    found.id,
    command.outcome,
    sender.id,
    context.inboundMessageId,
    context.receivedAt,
    sender.supervisorId,
  ]);
  const supervisors = alertRecipients(context, written.rows);

  const species = lookupCodes(context, "SP");
  const describe = (language: Language) => ({
    species: labelOf(species, found.speciesCode, language),
    outcome: labelOf(outcomes, command.outcome, language),
  });

  const alerts = supervisors.map((supervisor) => {
    const words = describe(supervisor.language);
    return {
      userId: supervisor.userId,
      channel: supervisor.channel,
      address: supervisor.address,
      body: catalogs[supervisor.language].outcomeCopy(
        found.id,
        found.animalCount,
        words.species,
        words.outcome,
        sender.name,
      ),
    };
  });
  const words = describe(sender.language);
  return accepted(
    catalog.outcomeRecorded(found.id, found.animalCount, words.species, words.outcome),
    alerts,
    found.id,
  );
}
