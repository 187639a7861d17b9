// The typed message catalog: every queue and the schema of its messages. The compiler
// checks that an app handling a queue handles its message type.
import type { z } from "zod";
import { emailInput } from "./email-input.js";
import { emailOutput } from "./email-output.js";
import { reportRequest } from "./report-request.js";

export const messageCatalog = {
  emailinput: emailInput,
  emailoutput: emailOutput,
  reportrequest: reportRequest,
} as const;

export type CatalogQueue = keyof typeof messageCatalog;
export type MessageOf<Q extends CatalogQueue> = z.output<(typeof messageCatalog)[Q]>;
/** What a producer passes: defaults (empty lists) may be left out. */
export type MessageInputOf<Q extends CatalogQueue> = z.input<(typeof messageCatalog)[Q]>;
