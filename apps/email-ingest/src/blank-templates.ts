// Blank workbooks for `TEMPLATE <code>` requests, made by the workbooks package from the
// template definition and the environment's current code lists (drop-downs included).
import type { Readable } from "node:stream";
import { codeListsOf, findTemplate } from "@isikhnas/domain";
import { PlatformError } from "@isikhnas/platform";
import { generateTemplate, type ReferenceCode } from "@isikhnas/workbooks";
import type { Sql } from "./sql.js";

export interface BlankTemplates {
  generate(request: { db: Sql; templateCode: string; language: "id" | "en" }): Promise<Buffer | Readable>;
}

export function createBlankTemplates(): BlankTemplates {
  return {
    async generate({ db, templateCode, language }) {
      const template = findTemplate(templateCode);
      if (!template) throw new PlatformError("NOT_FOUND", `no template definition for ${templateCode}`);
      const { rows } = await db.query<{
        list_code: string;
        code: string;
        label_id: string;
        label_en: string;
      }>(
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
    },
  };
}
