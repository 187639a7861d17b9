// One executor per command code; the compiler checks that every command has one.
import type { Command } from "../grammar/ast.js";
import { recordOutcome } from "./case-outcome.js";
import { reportCase } from "./case-report.js";
import type { CommandContext, CommandOutcome } from "./context.js";
import { askHelpDesk, commentOnCase, recordResponse, recordTreatment, reportNothing } from "./field-notes.js";
import { submitSpecimens } from "./lab-submission.js";
import { checkPermit, issuePermit, recordCulling } from "./movement.js";
import { recordPopulation, recordSlaughter, recordVaccination } from "./production.js";
import {
  findLocations,
  listCodes,
  listCommands,
  listSubLocations,
  searchCodes,
  senderCases,
  villageCases,
} from "./queries.js";
import { retractLastReport } from "./retract.js";

export function executeCommand(context: CommandContext, command: Command): Promise<CommandOutcome> {
  switch (command.code) {
    case "U":
    case "P":
      return reportCase(context, command);
    case "PK":
      return recordOutcome(context, command);
    case "LAB":
      return submitSpecimens(context, command);
    case "VAK":
      return recordVaccination(context, command);
    case "RP":
      return recordSlaughter(context, command);
    case "POP":
      return recordPopulation(context, command);
    case "H":
      return retractLastReport(context, command);
    case "LAPD":
      return villageCases(context, command);
    case "KODE":
      return listCodes(context, command);
    case "CKL":
      return findLocations(context, command);
    case "?":
      return listCommands(context, command);
    case "KOM":
      return commentOnCase(context, command);
    case "CKT":
    case "CKP":
    case "CKO":
      return searchCodes(context, command);
    case "DKL":
      return listSubLocations(context, command);
    case "LAPK":
      return senderCases(context, command);
    case "PNEG":
      return reportNothing(context, command);
    case "Q":
      return askHelpDesk(context, command);
    case "SK":
      return issuePermit(context, command);
    case "VSK":
      return checkPermit(context, command);
    case "CUL":
      return recordCulling(context, command);
    case "R":
      return recordResponse(context, command);
    case "OB":
      return recordTreatment(context, command);
  }
}
