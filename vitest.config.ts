import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Workspace packages resolve to their TypeScript sources, so tests never depend on a
// previous build. (The same mapping as the `source` export condition in each package.)
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@isikhnas\/([a-z-]+)\/(testing|build)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
      { find: /^@isikhnas\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    root,
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "infra/*/src/**/*.test.ts",
      "e2e/src/**/*.test.ts",
      "chaos/src/**/*.test.ts",
      // The benchmark aggregator's own test; the benchmarks themselves stay out (`npm run bench`).
      "bench/*.test.ts",
    ],
    globalSetup: ["packages/devstack/src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
