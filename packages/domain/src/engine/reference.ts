// Reference data held in the process, one copy per database: code lists and their names,
// commands with the user types allowed to send them, the deployment's settings, and the
// locations looked up so far. The engine reads reference_version (bumped by triggers on
// those tables, migration 0080) in the statement that stores each message and reloads this
// copy when the version moved, so an edit is seen by the next message in every process.
// Users, contacts and areas are never held here: they are read with every message.
import type { Queryable } from "@isikhnas/platform";

export interface CodeLabel {
  labelId: string;
  labelEn: string;
}

export interface Place {
  id: number;
  code: string;
  name: string;
  level: number;
}

export interface CodeList extends CodeLabel {
  code: string;
  /** The name replies show: the preferred name, or the list's code. */
  name: string;
}

interface Loaded {
  version: number;
  /** list → code → labels, each list in its sort order. */
  codes: Map<string, Map<string, CodeLabel>>;
  lists: CodeList[];
  /** Any name a list answers to → its code. */
  listCodes: Map<string, string>;
  commands: Map<string, { changesData: boolean; permitted: ReadonlySet<string> }>;
  settings: Map<string, unknown>;
}

// Typed codes that are no location are remembered as such; a flood of them must not grow
// the map without end, so past this size it starts again.
const MAX_REMEMBERED_LOCATIONS = 200_000;
const EMPTY_CODES = new Map<string, CodeLabel>();

/** One version of the reference data, as the command executors read it. */
export class ReferenceData {
  readonly #loaded: Loaded;
  readonly #locations = new Map<string, Place | null>();

  constructor(loaded: Loaded) {
    this.#loaded = loaded;
  }

  get version(): number {
    return this.#loaded.version;
  }

  /** The codes of a list with their labels, in the list's order; empty for an unknown list. */
  codes(list: string): ReadonlyMap<string, CodeLabel> {
    return this.#loaded.codes.get(list) ?? EMPTY_CODES;
  }

  /** Every list, in the order they were created, under the name replies show. */
  lists(): readonly CodeList[] {
    return this.#loaded.lists;
  }

  /** The list a typed name stands for (the wiki's TAN or the stored TK), or null. */
  listNamed(name: string): CodeList | null {
    const code = this.#loaded.listCodes.get(name) ?? name;
    return this.#loaded.lists.find((list) => list.code === code) ?? null;
  }

  command(code: string): { changesData: boolean; permitted: ReadonlySet<string> } | undefined {
    return this.#loaded.commands.get(code);
  }

  /** The command codes a user type may send. */
  permittedCommands(userType: string): Set<string> {
    const codes = new Set<string>();
    for (const [code, rule] of this.#loaded.commands) if (rule.permitted.has(userType)) codes.add(code);
    return codes;
  }

  /** deployment_settings 'alerts.im_when_linked': officers with a verified IM contact get alerts by IM. */
  get imAlertsWhenLinked(): boolean {
    return this.#loaded.settings.get("alerts.im_when_linked") === true;
  }

  /** A location by code, with the areas that contain it remembered on the way; null when none. */
  async location(tx: Queryable, code: string): Promise<Place | null> {
    const known = this.#locations.get(code);
    if (known !== undefined) return known;
    await this.#loadEnclosing(tx, code);
    return this.#locations.get(code) ?? null;
  }

  /**
   * A place in words, most detailed first: `Lemo, Bungku Tengah, Morowali`, then without the
   * district, then the village alone, so a reply can name as much of it as fits.
   */
  async placeWords(tx: Queryable, code: string): Promise<string[]> {
    const codes = enclosingCodes(code).filter((enclosing) => enclosing.length >= 4);
    if (codes.some((enclosing) => !this.#locations.has(enclosing))) await this.#loadEnclosing(tx, code);
    const names = codes.reverse().flatMap((enclosing) => {
      const place = this.#locations.get(enclosing);
      return place ? [place.name] : [];
    });
    const variants = names.map((_, index) => names.slice(0, names.length - index).join(", "));
    return variants.length > 0 ? variants : [code];
  }

  async #loadEnclosing(tx: Queryable, code: string): Promise<void> {
    const codes = enclosingCodes(code);
    const result = await tx.query<Place>(
      "SELECT id, code, name, level FROM locations WHERE code = ANY($1::text[]) AND deleted_at IS NULL",
      [codes],
    );
    if (this.#locations.size > MAX_REMEMBERED_LOCATIONS) this.#locations.clear();
    for (const enclosing of codes) this.#locations.set(enclosing, null);
    for (const place of result.rows) this.#locations.set(place.code, place);
  }
}

/** Every prefix of a location code: the codes of the areas that contain it, itself last. */
export function enclosingCodes(code: string): string[] {
  const codes: string[] = [];
  for (let length = 2; length <= code.length; length += 2) codes.push(code.slice(0, length));
  if (code.length % 2 === 1) codes.push(code);
  return codes;
}

// One copy per database, keyed by its pool, which every Database view of it shares.
const held = new WeakMap<object, ReferenceData>();

/**
 * The reference data at `version` or later: the held copy, or a fresh one read through `tx`
 * (inside the message's transaction, so it sees at least what that version stands for).
 */
export async function referenceAt(pool: object, tx: Queryable, version: number): Promise<ReferenceData> {
  const current = held.get(pool);
  if (current && current.version >= version) return current;
  const fresh = new ReferenceData(await loadReference(tx));
  const latest = held.get(pool);
  if (!latest || latest.version < fresh.version) held.set(pool, fresh);
  return fresh;
}

async function loadReference(tx: Queryable): Promise<Loaded> {
  const { rows } = await tx.query<{
    version: number;
    codes: [string, string, string, string][];
    lists: [string, string, string, string][];
    names: [string, string][];
    commands: [string, boolean, string[]][];
    settings: Record<string, unknown>;
  }>(
    `SELECT (SELECT version FROM reference_version) AS version,
       (SELECT coalesce(json_agg(json_build_array(list_code, code, label_id, label_en) ORDER BY list_code, sort_order, code), '[]')
        FROM codes WHERE deleted_at IS NULL) AS codes,
       (SELECT coalesce(json_agg(json_build_array(l.code, coalesce(n.name, l.code), l.label_id, l.label_en) ORDER BY l.id), '[]')
        FROM code_lists l
        LEFT JOIN code_list_names n ON n.list_code = l.code AND n.preferred AND n.deleted_at IS NULL
        WHERE l.deleted_at IS NULL) AS lists,
       (SELECT coalesce(json_agg(json_build_array(name, list_code)), '[]')
        FROM code_list_names WHERE deleted_at IS NULL) AS names,
       (SELECT coalesce(json_agg(json_build_array(c.code, c.changes_data,
                 array(SELECT p.user_type FROM command_permissions p
                       WHERE p.command_code = c.code AND p.deleted_at IS NULL))), '[]')
        FROM commands c WHERE c.deleted_at IS NULL) AS commands,
       (SELECT coalesce(json_object_agg(key, value), '{}') FROM deployment_settings) AS settings`,
  );
  const row = rows[0];
  if (!row) throw new Error("reference data query returned no row");
  const codes = new Map<string, Map<string, CodeLabel>>();
  for (const [list, code, labelId, labelEn] of row.codes) {
    let entries = codes.get(list);
    if (!entries) {
      entries = new Map();
      codes.set(list, entries);
    }
    entries.set(code, { labelId, labelEn });
  }
  return {
    version: row.version,
    codes,
    lists: row.lists.map(([code, name, labelId, labelEn]) => ({ code, name, labelId, labelEn })),
    listCodes: new Map(row.names),
    commands: new Map(
      row.commands.map(([code, changesData, permitted]) => [
        code,
        { changesData, permitted: new Set(permitted) },
      ]),
    ),
    settings: new Map(Object.entries(row.settings)),
  };
}
