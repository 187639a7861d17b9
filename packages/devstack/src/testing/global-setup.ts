// Vitest global setup: the local stack starts once per test run (PostgreSQL, SQS/S3 and
// SES emulators); every test file then takes its own database, queues and buckets.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmulators } from "../emulators.js";
import { startPostgres } from "../postgres.js";
import { prepareTemplateDatabase } from "./template.js";

import "./context.js";

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), "isikhnas-test-pg-"));
  const postgres = await startPostgres({
    databaseUrl: process.env.TEST_DATABASE_URL,
    dataDir,
    persistent: false,
  });
  const emulators = await startEmulators();
  const templateDatabase = await prepareTemplateDatabase(postgres.adminUrl);
  project.provide("devstack", {
    adminUrl: postgres.adminUrl,
    templateDatabase,
    awsEndpoint: emulators.awsEndpoint,
    sesEndpoint: emulators.sesEndpoint,
  });
  return async () => {
    await emulators.stop();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
