// LAB: specimens of a case sent to a laboratory; the lab's staff are told what is coming.
import type { LabSubmission } from "../grammar/ast.js";
import { catalogs, type Language } from "../messages/catalog.js";
import { fitReply } from "../messages/gsm7.js";
import { recordLabSubmissions } from "../production/lab-submissions.js";
import { expectEveryRowWritten } from "../production/reference-changed.js";
import { accepted, type CommandContext, type CommandOutcome, rejected } from "./context.js";
import {
  findCaseInArea,
  findInfrastructure,
  labStaffContacts,
  lookupCodeSets,
  placeWords,
  reportingDate,
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
  const codes = lookupCodeSets(context);
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

  const written = await recordLabSubmissions(
    tx,
    {
      rows: command.specimens.map((s) => ({
        case_id: String(found.id),
        date: reportingDate(context.receivedAt),
        lab: lab.code,
        specimen_type: s.specimenType,
        specimen_form: s.form,
        section: s.section,
        count: s.count,
        sample_id: null,
      })),
    },
    { reporterId: sender.id, inboundMessageId: context.inboundMessageId, receivedAt: context.receivedAt },
  );
  expectEveryRowWritten("LAB", command.specimens.length, written.specimens);

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
  const places = await placeWords(context, found.location.code);
  const staff = await labStaffContacts(context, lab.id);
  const alerts = staff.map((member) => ({
    userId: member.userId,
    channel: member.channel,
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
