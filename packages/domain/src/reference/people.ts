// User types, command and template permissions: the rules of who may do what, shipped as
// initial data and editable in the database afterwards.
import type { CommandCode } from "../grammar/ast.js";

export interface UserTypeSeed {
  code: string;
  labelId: string;
  labelEn: string;
  requiresDdx: boolean;
  receivesCaseAlerts: boolean;
  receivesPriorityAlerts: boolean;
  commands: CommandCode[];
  templates: string[];
}

export const TEMPLATE_CODES = [
  "lab_submissions",
  "user_registration",
  "monthly_slaughter",
  "vaccination_tally",
] as const;
export type TemplateCode = (typeof TEMPLATE_CODES)[number];

export const TEMPLATES: { code: TemplateCode; labelId: string; labelEn: string }[] = [
  { code: "lab_submissions", labelId: "Pengiriman dan hasil lab", labelEn: "Lab submissions and results" },
  { code: "user_registration", labelId: "Pendaftaran pengguna", labelEn: "User registration" },
  { code: "monthly_slaughter", labelId: "Pemotongan bulanan", labelEn: "Monthly slaughter" },
  { code: "vaccination_tally", labelId: "Rekap vaksinasi", labelEn: "Vaccination tally" },
];

/** Commands that create or change reports; they fall under the 10-minute duplicate rule. */
export const DATA_COMMANDS: CommandCode[] = [
  "U",
  "P",
  "PK",
  "LAB",
  "VAK",
  "RP",
  "POP",
  "H",
  "KOM",
  "PNEG",
  "SK",
  "CUL",
  "R",
  "OB",
];

const queries: CommandCode[] = ["?", "KODE", "CKL", "LAPD", "CKT", "CKP", "CKO", "DKL", "LAPK", "Q", "VSK"];
const fieldReports: CommandCode[] = ["U", "P", "PK", "POP", "H", "KOM", "PNEG", ...queries];

export const USER_TYPES: UserTypeSeed[] = [
  {
    code: "champion",
    labelId: "Champion (admin sistem)",
    labelEn: "Champion (system admin)",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: [...DATA_COMMANDS, ...queries],
    templates: [...TEMPLATE_CODES],
  },
  {
    code: "regional_coordinator",
    labelId: "Koordinator regional",
    labelEn: "Regional coordinator",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: queries,
    templates: ["user_registration"],
  },
  {
    code: "provincial_coordinator",
    labelId: "Koordinator provinsi",
    labelEn: "Provincial coordinator",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: true,
    commands: queries,
    templates: ["user_registration", "monthly_slaughter", "vaccination_tally"],
  },
  {
    code: "district_coordinator",
    labelId: "Koordinator kabupaten",
    labelEn: "District coordinator",
    requiresDdx: true,
    receivesCaseAlerts: true,
    receivesPriorityAlerts: true,
    commands: [...fieldReports, "LAB", "VAK", "SK", "CUL", "R", "OB"],
    templates: ["user_registration", "monthly_slaughter", "vaccination_tally"],
  },
  {
    code: "district_vet",
    labelId: "Dokter hewan kabupaten",
    labelEn: "District vet",
    requiresDdx: true,
    receivesCaseAlerts: true,
    receivesPriorityAlerts: false,
    commands: [...fieldReports, "LAB", "VAK", "SK", "CUL", "R", "OB"],
    templates: ["vaccination_tally"],
  },
  {
    code: "paravet",
    labelId: "Paravet",
    labelEn: "Paravet",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: [...fieldReports, "LAB", "VAK", "SK", "CUL", "R", "OB"],
    templates: ["vaccination_tally"],
  },
  {
    code: "village_reporter",
    labelId: "Pelapor desa (Pelsa)",
    labelEn: "Village reporter (Pelsa)",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: fieldReports,
    templates: [],
  },
  {
    code: "abattoir_reporter",
    labelId: "Pelapor RPH",
    labelEn: "Abattoir reporter",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: ["RP", "H", ...queries],
    templates: ["monthly_slaughter"],
  },
  {
    code: "inseminator",
    labelId: "Inseminator",
    labelEn: "Inseminator",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: [...fieldReports, "VAK"],
    templates: [],
  },
  {
    code: "lab_staff",
    labelId: "Petugas laboratorium",
    labelEn: "Lab staff",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: queries,
    templates: ["lab_submissions"],
  },
  {
    code: "viewer",
    labelId: "Pengamat",
    labelEn: "Viewer",
    requiresDdx: false,
    receivesCaseAlerts: false,
    receivesPriorityAlerts: false,
    commands: ["?", "KODE", "CKL"],
    templates: [],
  },
];
