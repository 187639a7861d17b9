// VAK (vaccinations), RP (today's slaughter counts) and POP (population counts):
// repeatable species groups stored one row per species.
import type { PopulationCount, SlaughterReport, Vaccination } from "../grammar/ast.js";
import { LIMITS } from "../grammar/parse.js";
import { accepted, type CommandContext, type CommandOutcome, covers, rejected } from "./context.js";
import {
  findInfrastructure,
  lookupCodes,
  placeName,
  reportingDate,
  unknownCode,
  villageInArea,
} from "./lookups.js";

function repeatedSpecies(species: string[]): string | null {
  const seen = new Set<string>();
  for (const code of species) {
    if (seen.has(code)) return code;
    seen.add(code);
  }
  return null;
}

/** Every group's species is a known code and appears once; otherwise the rejection. */
async function checkSpecies(
  context: CommandContext,
  commandCode: "VAK" | "RP" | "POP",
  species: string[],
): Promise<CommandOutcome | null> {
  const known = await lookupCodes(context.tx, "SP", species);
  const invalid = unknownCode(context, "species", "SP", species, known);
  if (invalid) return invalid;
  const repeated = repeatedSpecies(species);
  return repeated ? rejected(context.catalog.format(commandCode), `species ${repeated} repeated`) : null;
}

export async function recordVaccination(
  context: CommandContext,
  command: Vaccination,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const invalid = await checkSpecies(context, "VAK", species);
  if (invalid) return invalid;
  const program = await tx.query<{ id: number }>(
    "SELECT id FROM programs WHERE code = $1 AND kind = 'vaccination' AND deleted_at IS NULL",
    [command.program],
  );
  const programId = program.rows[0]?.id;
  if (programId === undefined) {
    return rejected(catalog.unknownProgram(command.program), `unknown program ${command.program}`);
  }
  const where = await villageInArea(context, command.location);
  if (!where.ok) return where.outcome;
  if (command.groups.some((g) => g.primary + g.booster === 0)) {
    return rejected(catalog.outOfRange("primary", 0, 1, LIMITS.vaccinated.max), "nothing vaccinated");
  }
  await tx.query(
    `INSERT INTO vaccination_reports (program_id, location_id, vaccinated_on, species_code, primary_count, booster_count,
                                      reporter_id, inbound_message_id, created_by)
     SELECT $1, $2, $3, g.species, g.primary_count, g.booster_count, $4, $5, $4
     FROM unnest($6::text[], $7::int[], $8::int[]) AS g (species, primary_count, booster_count)`,
    [
      programId,
      where.place.id,
      reportingDate(context.receivedAt),
      sender.id,
      context.inboundMessageId,
      species,
      command.groups.map((g) => g.primary),
      command.groups.map((g) => g.booster),
    ],
  );
  const groups = command.groups
    .map((g) => `${g.species} ${g.primary}${g.booster ? `+${g.booster}` : ""}`)
    .join(", ");
  return accepted(catalog.vaccinationRecorded(command.program, placeName(where.place), groups));
}

export async function recordSlaughter(
  context: CommandContext,
  command: SlaughterReport,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const invalid = await checkSpecies(context, "RP", species);
  if (invalid) return invalid;
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
  // A second report for the same day and species replaces the first: the latest count wins.
  await tx.query(
    `INSERT INTO slaughter_reports (slaughterhouse_id, report_date, species_code, male_count, female_count,
                                    reporter_id, inbound_message_id, created_by)
     SELECT $1, $2, g.species, g.male, g.female, $3, $4, $3
     FROM unnest($5::text[], $6::int[], $7::int[]) AS g (species, male, female)
     ON CONFLICT (slaughterhouse_id, report_date, species_code) WHERE deleted_at IS NULL
     DO UPDATE SET male_count = EXCLUDED.male_count, female_count = EXCLUDED.female_count,
                   reporter_id = EXCLUDED.reporter_id, inbound_message_id = EXCLUDED.inbound_message_id,
                   modified_by = EXCLUDED.reporter_id`,
    [
      slaughterhouse.id,
      date,
      sender.id,
      context.inboundMessageId,
      species,
      command.groups.map((g) => g.male),
      command.groups.map((g) => g.female),
    ],
  );
  const groups = command.groups.map((g) => `${g.species} ${g.male}/${g.female}`).join(", ");
  return accepted(catalog.slaughterRecorded(slaughterhouse.code, date, groups));
}

export async function recordPopulation(
  context: CommandContext,
  command: PopulationCount,
): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const invalid = await checkSpecies(context, "POP", species);
  if (invalid) return invalid;
  const where = await villageInArea(context, command.location);
  if (!where.ok) return where.outcome;
  await tx.query(
    `INSERT INTO population_counts (location_id, counted_on, species_code, animal_count, reporter_id,
                                    inbound_message_id, created_by)
     SELECT $1, $2, g.species, g.n, $3, $4, $3
     FROM unnest($5::text[], $6::int[]) AS g (species, n)
     ON CONFLICT (location_id, counted_on, species_code, (coalesce(class_code, ''))) WHERE deleted_at IS NULL
     DO UPDATE SET animal_count = EXCLUDED.animal_count, reporter_id = EXCLUDED.reporter_id,
                   inbound_message_id = EXCLUDED.inbound_message_id, modified_by = EXCLUDED.reporter_id`,
    [
      where.place.id,
      reportingDate(context.receivedAt),
      sender.id,
      context.inboundMessageId,
      species,
      command.groups.map((g) => g.count),
    ],
  );
  const groups = command.groups.map((g) => `${g.species} ${g.count}`).join(", ");
  return accepted(catalog.populationRecorded(placeName(where.place), groups));
}
