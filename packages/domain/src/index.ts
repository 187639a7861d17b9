// The business: code lists, locations, users and permissions, the command grammar and
// engine, Excel templates, report definitions.
export { migrationsDir } from "./migrations.js";
