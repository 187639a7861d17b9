// VAK (vaccinations), RP (today's slaughter counts) and POP (population counts):
// repeatable species groups checked here and stored one row per species through the
// tables' write modules (../production), which the workbook importers use too. A group
// whose program, village or slaughterhouse was retired between the check and the write
// throws ReferenceDataChanged (not a constraint error, so the engine does not answer it):
// the gateway handles the message again and the checks answer the sender.
import type { PopulationCount, SlaughterReport, Vaccination } from "../grammar/ast.js";
import { LIMITS } from "../grammar/parse.js";
import { recordDailySlaughter } from "../production/daily-slaughter.js";
import { recordPopulationCounts } from "../production/population.js";
import { expectEveryRowWritten } from "../production/reference-changed.js";
import { recordVaccinations } from "../production/vaccinations.js";
import { accepted, type CommandContext, type CommandOutcome, covers, rejected } from "./context.js";
import {
  findInfrastructure,
  lookupCodes,
  placeName,
  reportingDate,
  unknownCode,
  villageInArea,
  wordsOf,
} from "./lookups.js";

function repeatedSpecies(species: string[]): string | null {
  const seen = new Set<string>();
  for (const code of species) {
    if (seen.has(code)) return code;
    seen.add(code);
  }
  return null;
}

/**
 * Every group's species is a known code and appears once: the species in the sender's
 * words for the reply, or the rejection.
 */
async function checkSpecies(
  context: CommandContext,
  commandCode: "VAK" | "RP" | "POP",
  species: string[],
): Promise<{ invalid: CommandOutcome } | { invalid: null; named: (code: string) => string }> {
  const known = lookupCodes(context, "SP");
  const invalid = unknownCode(context, "species", "SP", species, known);
  if (invalid) return { invalid };
  const repeated = repeatedSpecies(species);
  if (repeated)
    return { invalid: rejected(context.catalog.format(commandCode), `species ${repeated} repeated`) };
  return { invalid: null, named: (code) => wordsOf(known, [code], context.sender.language) };
}

export async function recordVaccination(
  context: CommandContext,
  command: Vaccination,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const checked = await checkSpecies(context, "VAK", species);
  if (checked.invalid) return checked.invalid;
  const program = await tx.query(
    "SELECT 1 FROM programs WHERE code = $1 AND kind = 'vaccination' AND deleted_at IS NULL",
    [command.program],
  );
  if (program.rows.length === 0) {
    return rejected(catalog.unknownProgram(command.program), `unknown program ${command.program}`);
  }
  const where = await villageInArea(context, command.location);
  if (!where.ok) return where.outcome;
  if (command.groups.some((g) => g.primary + g.booster === 0)) {
    return rejected(catalog.outOfRange("primary", 0, 1, LIMITS.vaccinated.max), "nothing vaccinated");
  }
  const date = reportingDate(context.receivedAt);
  const written = await recordVaccinations(
    tx,
    {
      rows: command.groups.map((g) => ({
        program: command.program,
        date,
        village: where.place.code,
        species: g.species,
        primary: g.primary,
        booster: g.booster,
        vaccinator: null,
      })),
    },
    { reporterId: sender.id, inboundMessageId: context.inboundMessageId },
  );
  expectEveryRowWritten("VAK", command.groups.length, written);
  const groups = command.groups
    .map((g) => `${checked.named(g.species)} ${g.primary}${g.booster ? `+${g.booster}` : ""}`)
    .join(", ");
  return accepted(catalog.vaccinationRecorded(command.program, placeName(where.place), groups));
}

export async function recordSlaughter(
  context: CommandContext,
  command: SlaughterReport,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const checked = await checkSpecies(context, "RP", species);
  if (checked.invalid) return checked.invalid;
  const slaughterhouse = await findInfrastructure(tx, "slaughterhouse", command.slaughterhouse);
  if (!slaughterhouse) {
    return rejected(
      catalog.unknownInfrastructure("slaughterhouse", command.slaughterhouse),
      `unknown slaughterhouse ${command.slaughterhouse}`,
    );
  }
  if (!covers(sender, slaughterhouse.locationCode)) {
    return rejected(catalog.outsideArea(slaughterhouse.locationCode), "slaughterhouse outside area");
  }
  const date = reportingDate(context.receivedAt);
  const written = await recordDailySlaughter(
    tx,
    {
      rows: command.groups.map((g) => ({
        slaughterhouse: slaughterhouse.code,
        date,
        species: g.species,
        male: g.male,
        female: g.female,
      })),
    },
    { reporterId: sender.id, inboundMessageId: context.inboundMessageId },
  );
  expectEveryRowWritten("RP", command.groups.length, written);
  const groups = command.groups.map((g) => `${checked.named(g.species)} ${g.male}/${g.female}`).join(", ");
  return accepted(catalog.slaughterRecorded(slaughterhouse.code, date, groups));
}

export async function recordPopulation(
  context: CommandContext,
  command: PopulationCount,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const checked = await checkSpecies(context, "POP", species);
  if (checked.invalid) return checked.invalid;
  const where = await villageInArea(context, command.location);
  if (!where.ok) return where.outcome;
  const written = await recordPopulationCounts(
    tx,
    {
      rows: command.groups.map((g) => ({
        village: where.place.code,
        date: reportingDate(context.receivedAt),
        species: g.species,
        count: g.count,
      })),
    },
    { reporterId: sender.id, inboundMessageId: context.inboundMessageId },
  );
  expectEveryRowWritten("POP", command.groups.length, written);
  const groups = command.groups.map((g) => `${checked.named(g.species)} ${g.count}`).join(", ");
  return accepted(catalog.populationRecorded(placeName(where.place), groups));
}
