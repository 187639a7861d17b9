// U (general sick-animal case) and P (priority syndrome): validate the codes and the
// place, store the case with its signs, differential diagnoses and first event, alert
// the officers responsible for the place.
import { prepared } from "@isikhnas/platform";
import { enclosingCodes } from "../engine/reference.js";
import type { PriorityCase, SickAnimalCase } from "../grammar/ast.js";
import { pickAlertChannels } from "../im/alert-channels.js";
import { catalogs, type Language } from "../messages/catalog.js";
import { fitReply } from "../messages/gsm7.js";
import { type Alert, accepted, type CommandContext, type CommandOutcome, rejected } from "./context.js";
import {
  label,
  labelOf,
  lookupCodeSets,
  lowerFirst,
  officersSql,
  placeName,
  placeWords,
  type RecipientRow,
  recipientOf,
  unknownCode,
  villageInArea,
  wordsOf,
} from "./lookups.js";

// One statement stores the case and reads whom to alert: the officers' contacts come back
// as rows beside the new case's id (one row with no officer when there is none).
const storeCase = (alerted: "receives_case_alerts" | "receives_priority_alerts") =>
  `WITH new_case AS (
       INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, syndrome_code, reported_at,
                          inbound_message_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $2)
       RETURNING id
     ), signs AS (
       INSERT INTO case_signs (case_id, sign_code, created_by)
       SELECT new_case.id, sign, $2 FROM new_case, unnest($9::text[]) AS sign
     ), ddx AS (
       INSERT INTO case_differential_diagnoses (case_id, disease_code, rank, created_by)
       SELECT new_case.id, d.code, d.rank, $2 FROM new_case, unnest($10::text[]) WITH ORDINALITY AS d (code, rank)
     ), reported AS (
       INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at, created_by)
       SELECT new_case.id, 'reported', $2, $8, $7, $2 FROM new_case
     )
     SELECT new_case.id AS case_id, o.user_id, o.language, o.channel, o.address, o.verified
     FROM new_case LEFT JOIN (${officersSql(alerted, 11, 12, 2)}) o ON true
     ORDER BY o.user_id, o.channel, o.address`;
const STORE_U = prepared("engine.store_u", storeCase("receives_case_alerts"));
const STORE_P = prepared("engine.store_p", storeCase("receives_priority_alerts"));

export async function reportCase(
  context: CommandContext,
  command: SickAnimalCase | PriorityCase,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const signs = command.code === "U" ? command.signs : [];
  const syndromes = command.code === "P" ? [command.syndrome] : [];

  const codes = lookupCodeSets(context);
  const signCodes = codes("TK");
  const syndromeCodes = codes("SN");
  const species = codes("SP");
  const diseases = codes("PN");
  const invalid =
    unknownCode(context, "signs", "TK", signs, signCodes) ??
    unknownCode(context, "syndrome", "SN", syndromes, syndromeCodes) ??
    unknownCode(context, "species", "SP", [command.species], species) ??
    unknownCode(context, "ddx", "PN", command.differentialDiagnoses, diseases);
  if (invalid) return invalid;
  if (sender.requiresDdx && command.differentialDiagnoses.length === 0) {
    return rejected(catalog.ddxRequired(command.code), "differential diagnoses required");
  }
  const where = await villageInArea(context, command.location);
  if (!where.ok) return where.outcome;
  const place = where.place;

  const channels = command.code === "U" ? ["sms", "im"] : ["sms", "im", "email"];
  const inserted = await tx.query<{ case_id: number } & (RecipientRow | { [K in keyof RecipientRow]: null })>(
    command.code === "U" ? STORE_U : STORE_P,
    [
      command.code,
      sender.id,
      place.id,
      command.species,
      command.count,
      syndromes[0] ?? null,
      context.receivedAt,
      context.inboundMessageId,
      signs,
      command.differentialDiagnoses,
      enclosingCodes(place.code),
      channels,
    ],
  );
  const caseId = inserted.rows[0]?.case_id;
  if (caseId === undefined) throw new Error("case insert returned no id");
  const officers = pickAlertChannels(
    context.reference.imAlertsWhenLinked,
    inserted.rows.flatMap((row) => (row.user_id === null ? [] : [recipientOf(row)])),
  );

  const places = await placeWords(context, place.code);
  const placeCode = placeName(place);
  const reporter = sender.name;
  /** The most detailed wording that fits one SMS: signs in words, then fewer place names, then sign codes. */
  const fitted = (language: Language, compose: (signs: string, place: string) => string): string => {
    const signTexts = [wordsOf(signCodes, signs, language), signs.join(",")];
    return fitReply(signTexts.flatMap((signText) => places.map((placeText) => compose(signText, placeText))));
  };
  const speciesIn = (language: Language) => lowerFirst(labelOf(species, command.species, language));
  const alerts: Alert[] = [];
  if (command.code === "U") {
    for (const officer of officers) {
      const body = fitted(officer.language, (signText, placeText) =>
        catalogs[officer.language].caseAlert({
          caseId,
          count: command.count,
          species: speciesIn(officer.language),
          place: placeText,
          signs: signText,
          reporter,
        }),
      );
      alerts.push({ userId: officer.userId, channel: officer.channel, address: officer.address, body });
    }
    const reply = fitted(sender.language, (signText, placeText) =>
      catalog.caseRecorded({
        caseId,
        count: command.count,
        species: speciesIn(sender.language),
        place: placeText,
        signs: signText,
      }),
    );
    return accepted(reply, alerts, caseId);
  }

  const syndrome = syndromeCodes.get(command.syndrome);
  const syndromeIn = (language: Language) =>
    syndrome ? `${command.syndrome} ${lowerFirst(label(syndrome, language))}` : command.syndrome;
  for (const officer of officers) {
    const words = catalogs[officer.language];
    const compose = (placeText: string) =>
      words.priorityAlert({
        caseId,
        count: command.count,
        species: speciesIn(officer.language),
        place: placeText,
        syndrome: syndromeIn(officer.language),
        reporter,
      });
    // An e-mail has room for the whole place; an SMS names as much of it as fits.
    const body =
      officer.channel === "email"
        ? compose(places[0] ?? placeCode)
        : fitted(officer.language, (_, placeText) => compose(placeText));
    alerts.push(
      officer.channel === "email"
        ? {
            userId: officer.userId,
            channel: "email",
            address: officer.address,
            subject: words.priorityAlertSubject(caseId, command.syndrome, placeCode),
            body,
          }
        : { userId: officer.userId, channel: officer.channel, address: officer.address, body },
    );
  }
  const reply = fitted(sender.language, (_, placeText) =>
    catalog.priorityRecorded({
      caseId,
      count: command.count,
      species: speciesIn(sender.language),
      place: placeText,
      syndrome: syndromeIn(sender.language),
    }),
  );
  return accepted(reply, alerts, caseId);
}
