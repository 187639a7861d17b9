// A database for tests that fails chosen statements as pg fails when the server is not
// there (as during a fail-over): those statements are sent to a port nothing listens on.
import { type AddressInfo, createServer } from "node:net";
import { createDatabase, type Database } from "@isikhnas/platform";

/** Picks the statements that fail; it may ask the real database to decide. */
export type Routed = (own: Database, text: string, values: readonly unknown[]) => Promise<boolean>;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `own`, except that the statements `routed` picks fail to connect. */
export async function withUnreachable(own: Database, routed: Routed): Promise<Database> {
  const unreachable = createDatabase(
    {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/unreachable`,
      DB_POOL_MAX: 1,
      DB_STATEMENT_TIMEOUT_MS: 5_000,
    },
    "unreachable",
  );
  return {
    primary: own.primary,
    replica: own.replica,
    transaction: (work) => own.transaction(work),
    ping: () => own.ping(),
    close: () => Promise.all([own.close(), unreachable.close()]).then(() => undefined),
    query: async (text, values = []) =>
      (await routed(own, typeof text === "string" ? text : text.text, values))
        ? unreachable.query(text, values)
        : own.query(text, values),
  };
}
