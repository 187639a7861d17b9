// What `npm run chat` needs of the platform and the domain, kept apart from its flow.
import { normalisePhone } from "@isikhnas/domain";
import { createDatabase as openDatabase } from "@isikhnas/platform";

export function normalisePhoneForChat(raw: string): string | null {
  return normalisePhone(raw);
}

export function createDatabase(url: string) {
  return openDatabase({ DATABASE_URL: url, DB_POOL_MAX: 1, DB_STATEMENT_TIMEOUT_MS: 5000 });
}
