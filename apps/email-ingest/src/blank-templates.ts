// Where blank workbooks for `TEMPLATE <code>` requests come from: the workbooks package
// generates them from the current code lists.
import type { Readable } from "node:stream";
import type { Database } from "@isikhnas/platform";

export interface BlankTemplates {
  generate(request: {
    db: Database;
    templateCode: string;
    language: "id" | "en";
  }): Promise<Buffer | Readable>;
}
