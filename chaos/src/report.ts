// The chaos run's table, as printed: the promises first, then what was done to the stack.
import type { ChaosResult } from "./run.js";

export function formatReport(result: ChaosResult): string {
  const { verdict, plan } = result;
  const percent = (share: number) => `${(share * 100).toFixed(3)} %`;
  const rows: [string, string | number][] = [
    [
      "items in",
      `${verdict.itemsIn} (${verdict.smsItems} SMS, ${verdict.mailItems} e-mails, ${verdict.imItems} IM updates)`,
    ],
    ["records stored", `${verdict.recordsStored} of ${verdict.recordsExpected} expected`],
    ["replies sent", `${verdict.repliesSent} (${verdict.repliesExpected} owed to registered senders)`],
    ["lost", verdict.lost],
    ["duplicate records", verdict.duplicateRecords],
    ["duplicate replies", verdict.duplicateReplies],
    ["duplicate alerts", verdict.duplicateAlerts],
    ["in doubt", `${verdict.inDoubt} (${percent(verdict.inDoubtShare)}, at most 0.1 %)`],
    ["dead letters", verdict.deadLetters.reduce((sum, letter) => sum + letter.count, 0)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `chaos run, seed ${plan.seed}: ${result.seconds.toFixed(0)} s, ${result.disruptions.kills} kills, ` +
      `${result.disruptions.postgresRestarts} PostgreSQL restart, ${result.disruptions.emulatorStalls} emulator stall`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ];
  for (const letter of verdict.deadLetters)
    lines.push(`    ${letter.count} × ${letter.where}: ${letter.reason}`);
  lines.push(
    `  daemons: ${result.daemons
      .map(
        (daemon) =>
          `${daemon.name} ${daemon.starts} starts/${daemon.kills} kills${daemon.spared ? `/${daemon.spared} spared while starting` : ""}${daemon.crashes.length ? `/${daemon.crashes.length} crashes` : ""}${daemon.refused ? " REFUSED TO START" : ""}`,
      )
      .join(", ")}`,
  );
  for (const [promise, findings] of Object.entries(verdict.findings)) {
    for (const finding of findings) {
      lines.push(`  ${promise}: ${finding.item >= 0 ? `item ${finding.item}: ` : ""}${finding.what}`);
    }
  }
  lines.push(
    verdict.broken.length === 0
      ? "every promise kept"
      : `BROKEN: ${verdict.broken.join("; ")} (reproduce: npm run chaos -- --items ${plan.items.length} --seed ${plan.seed})`,
  );
  return lines.join("\n");
}
