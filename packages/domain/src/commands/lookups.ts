// Reference look-ups shared by the command executors: codes, locations, cases,
// infrastructure, and the officers to alert for a place.
import type { Queryable } from "@isikhnas/platform";
import type { CodeLabel, Place } from "../engine/reference.js";
import type { Field } from "../grammar/ast.js";
import { pickAlertChannels } from "../im/alert-channels.js";
import type { Language } from "../messages/catalog.js";
import { CODE_LISTS } from "../reference/code-lists.js";
import { type CommandContext, type CommandOutcome, covers, rejected } from "./context.js";

export function label(code: CodeLabel, language: Language): string {
  return language === "en" ? code.labelEn : code.labelId;
}

/** The label of `code` in the language; the bare code when `known` lacks it. */
export function labelOf(known: ReadonlyMap<string, CodeLabel>, code: string, language: Language): string {
  const found = known.get(code);
  return found ? label(found, language) : code;
}

/** `Ayam` → `ayam`: a label inside a sentence or after its upper-case code reads as a word. */
export function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

/** The codes as words (`mencret, demam`), each in the language; a code without a label stays a code. */
export function wordsOf(known: ReadonlyMap<string, CodeLabel>, codes: string[], language: Language): string {
  return codes.map((code) => lowerFirst(labelOf(known, code, language))).join(", ");
}

export type { CodeLabel, Place };

/** The codes of one list with their labels (the cached list): a code absent from it is unknown. */
export function lookupCodes(context: CommandContext, list: string): ReadonlyMap<string, CodeLabel> {
  return context.reference.codes(list);
}

/** Known codes by list; an unknown list gives an empty map. */
export type CodeSets = (list: string) => ReadonlyMap<string, CodeLabel>;

/** The cached code lists, as a look-up by list. */
export function lookupCodeSets(context: CommandContext): CodeSets {
  return (list) => context.reference.codes(list);
}

/** The first code of `codes` missing from `known`, as a rejection naming the field and list. */
export function unknownCode(
  context: CommandContext,
  field: Field,
  list: string,
  codes: string[],
  known: ReadonlyMap<string, CodeLabel>,
): CommandOutcome | null {
  const missing = codes.find((code) => !known.has(code));
  if (missing === undefined) return null;
  return rejected(context.catalog.unknownCode(field, missing, listName(list)), `unknown ${field} ${missing}`);
}

// The name a reply gives a list (KODE TAN), as people learnt it from the wiki; the stored
// code where the wiki has none. Replies name the lists the engine checks, which it knows
// by code, so their names come with them rather than from a query on an error path.
const LIST_NAMES = new Map(
  CODE_LISTS.flatMap((list) => (list.name ? [[list.code, list.name] as const] : [])),
);

export function listName(list: string): string {
  return LIST_NAMES.get(list) ?? list;
}

export function placeName(place: { code: string; name: string }): string {
  return `${place.name} (${place.code})`;
}

/**
 * A place in words, most detailed first: `Lemo, Bungku Tengah, Morowali`, then without the
 * district, then the village alone, so a reply can name as much of it as fits.
 */
export function placeWords(context: CommandContext, code: string): Promise<string[]> {
  return context.reference.placeWords(context.tx, code);
}

export function findLocation(context: CommandContext, code: string): Promise<Place | null> {
  return context.reference.location(context.tx, code);
}

/** A village inside the sender's area: the given code, or the sender's home village. */
export async function villageInArea(
  context: CommandContext,
  code: string | null,
): Promise<{ ok: true; place: Place } | { ok: false; outcome: CommandOutcome }> {
  const { catalog, sender } = context;
  const wanted = code ?? sender.homeLocation.code;
  const place = await findLocation(context, wanted);
  if (!place)
    return { ok: false, outcome: rejected(catalog.unknownLocation(wanted), `unknown location ${wanted}`) };
  if (place.level !== 4)
    return { ok: false, outcome: rejected(catalog.notAVillage(wanted), `not a village ${wanted}`) };
  if (!covers(sender, place.code)) {
    return { ok: false, outcome: rejected(catalog.outsideArea(wanted), `location ${wanted} outside area`) };
  }
  return { ok: true, place };
}

export interface CaseRecord {
  id: number;
  animalCount: number;
  speciesCode: string;
  location: Place;
}

export async function findCaseInArea(
  context: CommandContext,
  caseId: number,
): Promise<{ ok: true; found: CaseRecord } | { ok: false; outcome: CommandOutcome }> {
  const { catalog, sender } = context;
  const result = await context.tx.query<{
    id: number;
    reporter_id: number;
    animal_count: number;
    species_code: string;
    location_id: number;
    code: string;
    name: string;
    level: number;
  }>(
    `SELECT c.id, c.reporter_id, c.animal_count, c.species_code, c.location_id, l.code, l.name, l.level
     FROM cases c JOIN locations l ON l.id = c.location_id
     WHERE c.id = $1 AND c.deleted_at IS NULL`,
    [caseId],
  );
  const row = result.rows[0];
  if (!row) return { ok: false, outcome: rejected(catalog.caseNotFound(caseId), `case ${caseId} not found`) };
  if (!covers(sender, row.code) && row.reporter_id !== sender.id) {
    return { ok: false, outcome: rejected(catalog.caseOutsideArea(caseId), `case ${caseId} outside area`) };
  }
  return {
    ok: true,
    found: {
      id: row.id,
      animalCount: row.animal_count,
      speciesCode: row.species_code,
      location: { id: row.location_id, code: row.code, name: row.name, level: row.level },
    },
  };
}

export async function findInfrastructure(
  tx: Queryable,
  kind: "lab" | "slaughterhouse" | "office",
  code: string,
): Promise<{ id: number; code: string; name: string; locationCode: string } | null> {
  const result = await tx.query<{ id: number; code: string; name: string; location_code: string }>(
    `SELECT i.id, i.code, i.name, l.code AS location_code
     FROM infrastructure i JOIN locations l ON l.id = i.location_id
     WHERE i.kind = $1 AND i.code = $2 AND i.deleted_at IS NULL`,
    [kind, code],
  );
  const row = result.rows[0];
  return row ? { id: row.id, code: row.code, name: row.name, locationCode: row.location_code } : null;
}

export interface Recipient {
  userId: number;
  language: Language;
  channel: "sms" | "email" | "im";
  address: string;
  verified?: boolean;
}

/**
 * SQL of the active users of an alerted type whose areas cover a location, with their
 * contacts on the given channels; its parameters are the location's enclosing codes, the
 * channels and the user left out (the sender), at the given positions. Commands run it in
 * the statement that writes their report.
 */
export function officersSql(
  flag: "receives_case_alerts" | "receives_priority_alerts",
  codes: number,
  channels: number,
  exclude: number,
): string {
  return `SELECT DISTINCT u.id AS user_id, u.language, c.channel, c.address, c.verified
     FROM locations al
     JOIN user_areas a ON a.location_id = al.id AND a.deleted_at IS NULL
     JOIN users u ON u.id = a.user_id AND u.active AND u.deleted_at IS NULL
     JOIN user_types t ON t.code = u.user_type AND t.${flag}
     JOIN contacts c ON c.user_id = u.id AND c.deleted_at IS NULL AND c.channel = ANY($${channels}::text[])
     WHERE al.code = ANY($${codes}::text[]) AND u.id <> $${exclude}`;
}

export interface RecipientRow {
  user_id: number;
  language: Language;
  channel: Recipient["channel"];
  address: string;
  verified: boolean;
}

export function recipientOf(row: RecipientRow): Recipient {
  return {
    userId: row.user_id,
    language: row.language,
    channel: row.channel,
    address: row.address,
    verified: row.verified,
  };
}

/**
 * Where alerts to the active users that `users` (a SELECT of ids, `params` its values) picks
 * go: by IM to those with a linked chat account when the deployment turns IM alerts on, by
 * SMS otherwise. One statement picks the users and reads their contacts.
 */
async function alertContactsWhere(
  context: CommandContext,
  users: string,
  params: readonly unknown[],
): Promise<Recipient[]> {
  const result = await context.tx.query<RecipientRow>(alertContactsSql(users), params);
  return alertRecipients(context, result.rows);
}

/** SQL of the SMS and IM contacts of the active users that `users` (a SELECT of ids) picks. */
export function alertContactsSql(users: string): string {
  return `SELECT u.id AS user_id, u.language, c.channel, c.address, c.verified
     FROM users u JOIN contacts c ON c.user_id = u.id AND c.channel IN ('sms', 'im') AND c.deleted_at IS NULL
     WHERE u.id IN (${users}) AND u.active AND u.deleted_at IS NULL
     ORDER BY u.id, c.channel, c.address`;
}

/** The contacts alerts go to, by the deployment's choice of IM or SMS. */
export function alertRecipients(context: CommandContext, rows: RecipientRow[]): Recipient[] {
  return pickAlertChannels(context.reference.imAlertsWhenLinked, rows.map(recipientOf));
}

/** Alert contacts of a lab's staff, the sender left out. */
export function labStaffContacts(context: CommandContext, labId: number): Promise<Recipient[]> {
  return alertContactsWhere(
    context,
    "SELECT s.id FROM users s WHERE s.workplace_id = $1 AND s.user_type = 'lab_staff' AND s.id <> $2",
    [labId, context.sender.id],
  );
}

/** Alert contacts of the coordinators whose areas cover the sender's home: the sender's help desk. */
export function helpDeskContacts(context: CommandContext): Promise<Recipient[]> {
  return alertContactsWhere(
    context,
    `SELECT k.id FROM locations al
     JOIN user_areas a ON a.location_id = al.id AND a.deleted_at IS NULL
     JOIN users k ON k.id = a.user_id AND k.user_type IN ('district_coordinator', 'provincial_coordinator')
     WHERE $1 LIKE al.code || '%' AND k.id <> $2`,
    [context.sender.homeLocation.code, context.sender.id],
  );
}

// Indonesia spans three time zones; reports are dated in WITA, the middle one. The
// formatters are built once: constructing one per message costs more than formatting.
const REPORTING_TIME_ZONE = "Asia/Makassar";
const reportingDateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: REPORTING_TIME_ZONE });
const shortDateFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: REPORTING_TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
});
const shortDateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: REPORTING_TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** The local calendar date of a moment, for daily figures (slaughter, vaccination, population). */
export function reportingDate(moment: Date): string {
  return reportingDateFormat.format(moment);
}

export function shortDate(moment: Date): string {
  return shortDateFormat.format(moment);
}

export function shortDateTime(moment: Date): string {
  return shortDateTimeFormat.format(moment);
}
