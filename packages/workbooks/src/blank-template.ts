// The blank workbook of a template, with drop-downs fed from the database's current code
// lists: what a user gets for `TEMPLATE <id>` and an operator from `isikhnas template`.
import { codeListsOf, findTemplate, type Language } from "@isikhnas/domain";
import type { Queryable } from "@isikhnas/platform";
import { generateTemplate, type ReferenceCode } from "./template-workbook.js";

export class UnknownTemplateError extends Error {
  constructor(readonly templateCode: string) {
    super(`no template definition for ${templateCode}`);
    this.name = "UnknownTemplateError";
  }
}

export async function blankTemplate(
  db: Queryable,
  templateCode: string,
  language: Language,
): Promise<Buffer> {
  const template = findTemplate(templateCode);
  if (!template) throw new UnknownTemplateError(templateCode);
  const { rows } = await db.query<{ list_code: string; code: string; label_id: string; label_en: string }>(
    `SELECT list_code, code, label_id, label_en FROM codes
      WHERE deleted_at IS NULL AND list_code = ANY($1::text[])
      ORDER BY list_code, sort_order, code`,
    [codeListsOf(template)],
  );
  const codeLists = new Map<string, ReferenceCode[]>();
  for (const row of rows) {
    const list = codeLists.get(row.list_code) ?? [];
    list.push({ code: row.code, label: language === "en" ? row.label_en : row.label_id });
    codeLists.set(row.list_code, list);
  }
  return generateTemplate(template, { codeLists, language });
}
