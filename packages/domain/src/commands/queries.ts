// Commands that only read: ? (command list), KODE (code lists), CKL (find a location by
// name), LAPD (last cases in a village).
import {
  COMMAND_CODES,
  type CodeListQuery,
  type CodeSearch,
  type CommandList,
  type LocationSearch,
  type SenderCases,
  type SubLocations,
  type VillageCases,
} from "../grammar/ast.js";
import { compactList, REPLY_SEPTETS } from "../messages/gsm7.js";
import { accepted, type CommandContext, type CommandOutcome, rejected } from "./context.js";
import { findLocation, label, lowerFirst, placeName, shortDate, villageInArea } from "./lookups.js";

export async function listCommands(context: CommandContext, _command: CommandList): Promise<CommandOutcome> {
  const codes = context.reference.permittedCommands(context.sender.userType);
  // In the order of the wiki's list as this system has it, whatever order they were granted in.
  return accepted(context.catalog.commandHelp(COMMAND_CODES.filter((code) => codes.has(code))));
}

const SEARCHED_LISTS = { CKT: "TK", CKP: "SN", CKO: "HS" } as const;
const MAX_FOUND_CODES = 8;

export async function searchCodes(context: CommandContext, command: CodeSearch): Promise<CommandOutcome> {
  const { sender, catalog } = context;
  const wanted = command.name.toLowerCase();
  // Words anywhere in the label in either language, or the code itself: "CKP rabies" finds RB.
  const items: string[] = [];
  for (const [code, labels] of context.reference.codes(SEARCHED_LISTS[command.code])) {
    if (items.length === MAX_FOUND_CODES) break;
    const matches =
      labels.labelId.toLowerCase().includes(wanted) ||
      labels.labelEn.toLowerCase().includes(wanted) ||
      code.toLowerCase() === wanted;
    if (matches) items.push(`${code} ${lowerFirst(label(labels, sender.language))}`);
  }
  if (items.length === 0) return accepted(catalog.noMatch(command.name));
  return accepted(catalog.codesFound(compactList(items, REPLY_SEPTETS)));
}

export async function listSubLocations(
  context: CommandContext,
  command: SubLocations,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  // Without a code, the sender's own sub-district: the villages a reporter most often needs.
  const parent = command.location ?? sender.homeLocation.code.slice(0, 6);
  const place = await findLocation(context, parent);
  if (!place) return rejected(catalog.unknownLocation(parent), `unknown location ${parent}`);
  const children = await tx.query<{ code: string; name: string }>(
    "SELECT code, name FROM locations WHERE parent_code = $1 AND deleted_at IS NULL ORDER BY code",
    [place.code],
  );
  const items = children.rows.map((row) => `${row.code} ${row.name}`);
  return accepted(
    catalog.subLocations(place.name, compactList(items, REPLY_SEPTETS - place.name.length - 2)),
  );
}

export async function senderCases(context: CommandContext, _command: SenderCases): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const cases = await tx.query<{
    id: number;
    reported_at: Date;
    species_code: string;
    animal_count: number;
    village: string;
    outcome_code: string | null;
  }>(
    `SELECT c.id, c.reported_at, c.species_code, c.animal_count, l.name AS village, c.outcome_code
     FROM cases c JOIN locations l ON l.id = c.location_id
     WHERE c.reporter_id = $1 AND c.deleted_at IS NULL
     ORDER BY c.reported_at DESC, c.id DESC LIMIT 5`,
    [sender.id],
  );
  const lines = cases.rows.map((c) =>
    [c.id, shortDate(c.reported_at), c.animal_count, c.species_code, c.village, c.outcome_code ?? "-"].join(
      " ",
    ),
  );
  return accepted(catalog.senderCases(lines));
}

export async function listCodes(context: CommandContext, command: CodeListQuery): Promise<CommandOutcome> {
  const { reference, sender, catalog } = context;
  if (command.list === null) {
    const items = reference.lists().map((list) => `${list.name} ${lowerFirst(label(list, sender.language))}`);
    return accepted(catalog.codeLists(compactList(items, REPLY_SEPTETS - catalog.codeLists("").length)));
  }
  // A list answers to its names (the wiki's TAN and the stored TK alike) and to its code.
  const list = reference.listNamed(command.list);
  const codes = list ? [...reference.codes(list.code)] : [];
  if (!list || codes.length === 0)
    return rejected(catalog.unknownList(command.list), `unknown list ${command.list}`);
  const items = codes.map(([code, labels]) => `${code} ${lowerFirst(label(labels, sender.language))}`);
  return accepted(
    catalog.codeList(list.name, compactList(items, REPLY_SEPTETS - catalog.codeList(list.name, "").length)),
  );
}

export async function findLocations(
  context: CommandContext,
  command: LocationSearch,
): Promise<CommandOutcome> {
  const { tx, catalog } = context;
  const pattern = command.name.toLowerCase().replace(/[\\%_]/g, "\\$&");
  const found = await tx.query<{ code: string; name: string; parent: string | null }>(
    `SELECT l.code, l.name, p.name AS parent
     FROM locations l LEFT JOIN locations p ON p.code = l.parent_code
     WHERE lower(l.name) LIKE $1 || '%' AND l.deleted_at IS NULL
     ORDER BY l.level DESC, l.code LIMIT 5`,
    [pattern],
  );
  if (found.rows.length === 0) return accepted(catalog.noLocation(command.name));
  const places = found.rows.map((l) => `${l.code} ${l.name}${l.parent ? ` (${l.parent})` : ""}`);
  return accepted(catalog.locationsFound(command.name, places));
}

export async function villageCases(context: CommandContext, command: VillageCases): Promise<CommandOutcome> {
  const { tx, catalog } = context;
  const where = await villageInArea(context, command.village);
  if (!where.ok) return where.outcome;
  const place = where.place;
  const cases = await tx.query<{
    id: number;
    reported_at: Date;
    species_code: string;
    animal_count: number;
    detail: string | null;
    outcome_code: string | null;
  }>(
    `SELECT c.id, c.reported_at, c.species_code, c.animal_count, c.outcome_code,
            coalesce(c.syndrome_code, (SELECT string_agg(s.sign_code, ',' ORDER BY s.id) FROM case_signs s
                                       WHERE s.case_id = c.id AND s.deleted_at IS NULL)) AS detail
     FROM cases c WHERE c.location_id = $1 AND c.deleted_at IS NULL
     ORDER BY c.reported_at DESC, c.id DESC LIMIT 5`,
    [place.id],
  );
  const lines = cases.rows.map((c) =>
    [c.id, shortDate(c.reported_at), c.animal_count, c.species_code, c.detail, c.outcome_code]
      .filter((part) => part !== null && part !== "")
      .join(" "),
  );
  return accepted(catalog.villageCases(placeName(place), lines));
}
