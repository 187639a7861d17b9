// Blank workbooks for `TEMPLATE <code>` requests, made by the workbooks package from the
// template definition and the environment's current code lists (drop-downs included).
import type { Readable } from "node:stream";
import { PlatformError, type Queryable } from "@isikhnas/platform";
import { blankTemplate, UnknownTemplateError } from "@isikhnas/workbooks";

export interface BlankTemplates {
  generate(request: {
    db: Queryable;
    templateCode: string;
    language: "id" | "en";
  }): Promise<Buffer | Readable>;
}

export function createBlankTemplates(): BlankTemplates {
  return {
    async generate({ db, templateCode, language }) {
      try {
        return await blankTemplate(db, templateCode, language);
      } catch (error) {
        if (error instanceof UnknownTemplateError) throw new PlatformError("NOT_FOUND", error.message);
        throw error;
      }
    },
  };
}
