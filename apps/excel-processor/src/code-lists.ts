// The codes the templates check against, read from the database and kept for a minute:
// code lists are data that may change without a deploy, but not between two rows.
import { codeListsOf, TEMPLATE_DEFINITIONS } from "@isikhnas/domain";
import type { Queryable } from "@isikhnas/platform";
import type { CodeLists } from "@isikhnas/workbooks";

const TTL_MS = 60_000;

export class CodeListCache {
  readonly #entries = new WeakMap<object, { loadedAt: number; lists: Promise<CodeLists> }>();
  readonly #lists = [...new Set(TEMPLATE_DEFINITIONS.flatMap((template) => codeListsOf(template)))];

  /** `db` identifies the database: live and training each have their own lists. */
  get(db: Queryable): Promise<CodeLists> {
    const now = Date.now();
    const cached = this.#entries.get(db);
    if (cached && now - cached.loadedAt < TTL_MS) return cached.lists;
    const lists = this.#load(db);
    this.#entries.set(db, { loadedAt: now, lists });
    lists.catch(() => this.#entries.delete(db));
    return lists;
  }

  async #load(db: Queryable): Promise<CodeLists> {
    const result = await db.query<{ list_code: string; code: string }>(
      `SELECT list_code, code FROM codes WHERE deleted_at IS NULL AND list_code = ANY($1)`,
      [this.#lists],
    );
    const lists = new Map<string, Set<string>>();
    for (const row of result.rows) {
      const codes = lists.get(row.list_code) ?? new Set<string>();
      codes.add(row.code.toUpperCase());
      lists.set(row.list_code, codes);
    }
    return lists;
  }
}
