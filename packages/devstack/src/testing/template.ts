// A migrated template database: each test file copies it (CREATE DATABASE … TEMPLATE),
// which takes milliseconds instead of re-running every migration.
import { migrationsDir } from "@isikhnas/domain";
import { migrate } from "@isikhnas/platform";
import { createDatabase, dropDatabase } from "../postgres.js";

export async function prepareTemplateDatabase(adminUrl: string): Promise<string> {
  const name = `isikhnas_template_${process.pid}`;
  await dropDatabase(adminUrl, name);
  const url = await createDatabase(adminUrl, name);
  await migrate({ databaseUrl: url, dir: migrationsDir });
  return name;
}
