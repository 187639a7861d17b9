// `isikhnas im …`: the operator's side of the IM bridge: unlinking a user's chat account,
// listing IM messages in doubt (their sender lost sendMessage's answer), and turning IM
// alerts for linked officers on or off.
import { imAlertsEnabled, unlinkImContact } from "@isikhnas/domain";
import { type Command, InvalidArgumentError } from "commander";
import { withDatabase } from "./config.js";
import { listImInDoubt } from "./im-in-doubt.js";
import type { ProgramIo } from "./program.js";

export function addImCommands(program: Command, io: ProgramIo): void {
  const im = program
    .command("im")
    .description("the Telegram bot's linked chat accounts and messages in doubt");

  im.command("unlink")
    .description(
      "unlink every chat account of a user (by phone, e-mail or user id); they can link again by sharing their contact",
    )
    .argument("<user>", "phone (08… or 628…), e-mail address or user id")
    .action(async (user: string) => {
      await withDatabase(io.env, async (db) => {
        const result = await unlinkImContact(db, user);
        if (!result) throw new Error(`no user found for "${user}"`);
        io.out(
          result.unlinked.length === 0
            ? `${result.name} (user ${result.userId}) had no linked chat account`
            : `unlinked ${result.unlinked.length} chat account(s) of ${result.name} (user ${result.userId})`,
        );
      });
    });

  im.command("alerts")
    .description(
      "whether alerts go by IM to officers with a linked chat account (SMS to the others); on or off sets it",
    )
    .argument("[state]", "on or off; omitted, shows the setting")
    .action(async (state: string | undefined) => {
      if (state !== undefined && state !== "on" && state !== "off") {
        throw new InvalidArgumentError(`"${state}" is neither on nor off`);
      }
      await withDatabase(io.env, async (db) => {
        if (state !== undefined) {
          await db.query(
            "UPDATE deployment_settings SET value = to_jsonb($1::boolean) WHERE key = 'alerts.im_when_linked'",
            [state === "on"],
          );
        }
        const enabled = await imAlertsEnabled(db);
        io.out(
          enabled
            ? "IM alerts on: officers with a linked chat account get alerts by IM, the others by SMS"
            : "IM alerts off: every officer gets alerts by SMS",
        );
      });
    });

  im.command("in-doubt")
    .description(
      "IM messages whose sendMessage answer was lost: Telegram may or may not have delivered them; never resent",
    )
    .option("--limit <n>", "at most this many", "50")
    .action(async (options: { limit: string }) => {
      await withDatabase(io.env, async (db) => {
        const rows = await listImInDoubt(db, Math.max(1, Number.parseInt(options.limit, 10) || 50));
        if (rows.length === 0) io.out("no IM messages in doubt");
        for (const row of rows) {
          io.out(
            `${row.id}  ${row.modifiedAt.toISOString()}  chat ${row.address}  ${row.kind}${row.lastError ? `\n  reason: ${row.lastError}` : ""}`,
          );
        }
      });
    });
}
