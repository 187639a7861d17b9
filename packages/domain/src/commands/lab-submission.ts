// LAB: specimens of a case sent to a laboratory; the lab's staff are told what is coming.
import type { LabSubmission } from "../grammar/ast.js";
import { catalogs, type Language } from "../messages/catalog.js";
import { fitReply } from "../messages/gsm7.js";
import { accepted, type CommandContext, type CommandOutcome, rejected } from "./context.js";
import {
  findCaseInArea,
  findInfrastructure,
  lookupCodeSets,
  placeWords,
  unknownCode,
  wordsOf,
} from "./lookups.js";

export async function submitSpecimens(
  context: CommandContext,
  command: LabSubmission,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const types = command.specimens.map((s) => s.specimenType);
  const forms = command.specimens.map((s) => s.form);
  const sections = command.specimens.flatMap((s) => (s.section ? [s.section] : []));
  const codes = await lookupCodeSets(tx, { JS: types, BS: forms, BL: sections });
  const invalid =
    unknownCode(context, "specimenType", "JS", types, codes("JS")) ??
    unknownCode(context, "form", "BS", forms, codes("BS")) ??
    unknownCode(context, "section", "BL", sections, codes("BL"));
  if (invalid) return invalid;
  const lookup = await findCaseInArea(context, command.caseId);
  if (!lookup.ok) return lookup.outcome;
  const found = lookup.found;
  const lab = await findInfrastructure(tx, "lab", command.lab);
  if (!lab) return rejected(catalog.unknownInfrastructure("lab", command.lab), `unknown lab ${command.lab}`);

  await tx.query(
    `WITH submission AS (
       INSERT INTO lab_submissions (case_id, lab_id, submitted_by, submitted_at, inbound_message_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $3)
       RETURNING id
     ), specimen_rows AS (
       INSERT INTO specimens (submission_id, specimen_type_code, form_code, section_code, specimen_count, created_by)
       SELECT submission.id, s.specimen_type, s.form, s.section, s.n, $3
       FROM submission, unnest($6::text[], $7::text[], $8::text[], $9::int[]) AS s (specimen_type, form, section, n)
     )
     INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at, detail, created_by)
     SELECT $1, 'lab', $3, $5, $4, jsonb_build_object('submission_id', submission.id, 'lab', $10::text), $3
     FROM submission`,
    [
      found.id,
      lab.id,
      sender.id,
      context.receivedAt,
      context.inboundMessageId,
      types,
      forms,
      command.specimens.map((s) => s.section),
      command.specimens.map((s) => s.count),
      lab.code,
    ],
  );

  const codeSets = { type: codes("JS"), form: codes("BS"), section: codes("BL") };
  const specimensIn = (language: Language) =>
    command.specimens
      .map((s) =>
        catalogs[language].specimenGroup(
          s.count,
          wordsOf(codeSets.type, [s.specimenType], language),
          wordsOf(codeSets.form, [s.form], language),
          s.section ? wordsOf(codeSets.section, [s.section], language) : null,
        ),
      )
      .join(", ");
  const places = await placeWords(tx, found.location.code);
  const staff = await tx.query<{ user_id: number; language: Language; address: string }>(
    `SELECT u.id AS user_id, u.language, c.address
     FROM users u JOIN contacts c ON c.user_id = u.id AND c.channel = 'sms' AND c.deleted_at IS NULL
     WHERE u.workplace_id = $1 AND u.user_type = 'lab_staff' AND u.active AND u.deleted_at IS NULL AND u.id <> $2
     ORDER BY u.id`,
    [lab.id, sender.id],
  );
  const alerts = staff.rows.map((member) => ({
    userId: member.user_id,
    channel: "sms" as const,
    address: member.address,
    body: fitReply(
      places.map((place) =>
        catalogs[member.language].labNotice(found.id, specimensIn(member.language), sender.name, place),
      ),
    ),
  }));
  const reply = fitReply(
    places.map((place) => catalog.labRecorded(found.id, lab.name, specimensIn(sender.language), place)),
  );
  return accepted(reply, alerts, found.id);
}
