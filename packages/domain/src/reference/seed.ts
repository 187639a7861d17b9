// Loads the reference data (code lists, user types, commands, templates, permissions).
// Idempotent and additive: rows already present are left as they are, so edits made in
// the database survive every `npm start`.
import type { Database, Queryable } from "@isikhnas/platform";
import { COMMAND_CODES } from "../grammar/ast.js";
import { CODE_LISTS } from "./code-lists.js";
import { DATA_COMMANDS, TEMPLATES, USER_TYPES } from "./people.js";

export async function seedReferenceData(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await seedCodeLists(tx);
    await seedPeopleRules(tx);
  });
}

async function seedCodeLists(tx: Queryable): Promise<void> {
  await tx.query(
    `INSERT INTO code_lists (code, label_id, label_en)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO NOTHING`,
    [CODE_LISTS.map((l) => l.code), CODE_LISTS.map((l) => l.labelId), CODE_LISTS.map((l) => l.labelEn)],
  );
  const codes = CODE_LISTS.flatMap((list) =>
    list.codes.map(([code, labelId, labelEn], index) => ({ list: list.code, code, labelId, labelEn, index })),
  );
  await tx.query(
    `INSERT INTO codes (list_code, code, label_id, label_en, sort_order)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
     ON CONFLICT (list_code, code) DO NOTHING`,
    [
      codes.map((c) => c.list),
      codes.map((c) => c.code),
      codes.map((c) => c.labelId),
      codes.map((c) => c.labelEn),
      codes.map((c) => c.index + 1),
    ],
  );
}

async function seedPeopleRules(tx: Queryable): Promise<void> {
  await tx.query(
    `INSERT INTO commands (code, changes_data)
     SELECT * FROM unnest($1::text[], $2::boolean[])
     ON CONFLICT (code) DO NOTHING`,
    [COMMAND_CODES, COMMAND_CODES.map((code) => DATA_COMMANDS.includes(code))],
  );
  await tx.query(
    `INSERT INTO templates (code, label_id, label_en)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO NOTHING`,
    [TEMPLATES.map((t) => t.code), TEMPLATES.map((t) => t.labelId), TEMPLATES.map((t) => t.labelEn)],
  );
  await tx.query(
    `INSERT INTO user_types (code, label_id, label_en, requires_ddx, receives_case_alerts, receives_priority_alerts)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::boolean[], $6::boolean[])
     ON CONFLICT (code) DO NOTHING`,
    [
      USER_TYPES.map((t) => t.code),
      USER_TYPES.map((t) => t.labelId),
      USER_TYPES.map((t) => t.labelEn),
      USER_TYPES.map((t) => t.requiresDdx),
      USER_TYPES.map((t) => t.receivesCaseAlerts),
      USER_TYPES.map((t) => t.receivesPriorityAlerts),
    ],
  );
  const commandRules = USER_TYPES.flatMap((t) => t.commands.map((command) => [t.code, command] as const));
  await tx.query(
    `INSERT INTO command_permissions (user_type, command_code)
     SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (user_type, command_code) DO NOTHING`,
    [commandRules.map(([type]) => type), commandRules.map(([, command]) => command)],
  );
  const templateRules = USER_TYPES.flatMap((t) => t.templates.map((template) => [t.code, template] as const));
  await tx.query(
    `INSERT INTO template_permissions (user_type, template_code)
     SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (user_type, template_code) DO NOTHING`,
    [templateRules.map(([type]) => type), templateRules.map(([, template]) => template)],
  );
}
