// Installs the workspace's dependencies when they are missing, older than the lock file,
// or were installed under another Node.js ABI, so that `npm start` and `npm test` work on
// a fresh clone with one command. Refuses a Node.js the project does not support, with
// the way to get the right one.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const minimumMajor = 22;
const major = Number(process.versions.node.split(".")[0]);
if (major < minimumMajor) {
  const wanted = readFileSync(join(root, ".nvmrc"), "utf8").trim();
  console.error(
    `Node.js ${minimumMajor} or later is needed (${wanted} is tested); this is ${process.version}.\n` +
      `Put the project's own Node.js first on PATH (it installs into .node/ on first use):\n` +
      `  . scripts/use-node.sh`,
  );
  process.exit(1);
}

const marker = join(root, "node_modules", ".package-lock.json");
const abiMarker = join(root, "node_modules", ".isikhnas-node-abi");
const lock = join(root, "package-lock.json");
const abi = `${process.platform}-${process.arch}-${process.versions.modules}`;
// An install without our marker (a plain `npm ci`, as CI runs it) is taken as this Node's.
const stale =
  !existsSync(marker) ||
  statSync(marker).mtimeMs < statSync(lock).mtimeMs ||
  (existsSync(abiMarker) && readFileSync(abiMarker, "utf8") !== abi);
if (stale) {
  console.log("installing dependencies (npm ci)…");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}
if (!existsSync(abiMarker) || stale) writeFileSync(abiMarker, abi);
