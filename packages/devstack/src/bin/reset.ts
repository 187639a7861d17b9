#!/usr/bin/env node
// `npm run reset`: deletes the local stack's data folder (database, spools). Run it while
// `npm start` is stopped.
import { rm } from "node:fs/promises";
import { localLayout } from "../local/layout.js";

const layout = localLayout();
await rm(layout.dataDir, { recursive: true, force: true });
process.stdout.write(`removed ${layout.dataDir}\n`);
