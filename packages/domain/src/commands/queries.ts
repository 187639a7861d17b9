// Commands that only read: ? (command list), KODE (code lists), CKL (find a location by
// name), LAPD (last cases in a village).
import type { CodeListQuery, CommandList, LocationSearch, VillageCases } from "../grammar/ast.js";
import { compactList, REPLY_SEPTETS } from "../messages/gsm7.js";
import { accepted, type CommandContext, type CommandOutcome, rejected } from "./context.js";
import { lowerFirst, placeName, shortDate, villageInArea } from "./lookups.js";

export async function listCommands(context: CommandContext, _command: CommandList): Promise<CommandOutcome> {
  return accepted(context.catalog.commandList());
}

export async function listCodes(context: CommandContext, command: CodeListQuery): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const labelColumn = sender.language === "en" ? "label_en" : "label_id";
  if (command.list === null) {
    const lists = await tx.query<{ name: string; label: string }>(
      `SELECT coalesce(n.name, l.code) AS name, l.${labelColumn} AS label
       FROM code_lists l
       LEFT JOIN code_list_names n ON n.list_code = l.code AND n.preferred AND n.deleted_at IS NULL
       WHERE l.deleted_at IS NULL ORDER BY l.id`,
    );
    const items = lists.rows.map((l) => `${l.name} ${lowerFirst(l.label)}`);
    return accepted(catalog.codeLists(compactList(items, REPLY_SEPTETS - catalog.codeLists("").length)));
  }
  // A list answers to its names (the wiki's TAN and the stored TK alike) and to its code.
  const codes = await tx.query<{ code: string; label: string; name: string }>(
    `WITH list AS (
       SELECT coalesce((SELECT list_code FROM code_list_names WHERE name = $1 AND deleted_at IS NULL), $1) AS code
     )
     SELECT c.code, c.${labelColumn} AS label,
            coalesce((SELECT n.name FROM code_list_names n
                      WHERE n.list_code = c.list_code AND n.preferred AND n.deleted_at IS NULL), c.list_code) AS name
     FROM list JOIN codes c ON c.list_code = list.code
     JOIN code_lists l ON l.code = c.list_code AND l.deleted_at IS NULL
     WHERE c.deleted_at IS NULL ORDER BY c.sort_order, c.code`,
    [command.list],
  );
  const name = codes.rows[0]?.name;
  if (name === undefined) return rejected(catalog.unknownList(command.list), `unknown list ${command.list}`);
  const items = codes.rows.map((c) => `${c.code} ${lowerFirst(c.label)}`);
  return accepted(
    catalog.codeList(name, compactList(items, REPLY_SEPTETS - catalog.codeList(name, "").length)),
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
