import { fileURLToPath } from "node:url";

/** Folder of the numbered SQL migrations that build the whole database. */
export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));
