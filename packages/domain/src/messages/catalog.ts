// Every text the engine sends, in Indonesian and English. Replies aim at one SMS (160
// GSM-7 characters with the system tag), so the wording is terse.
import { COMMAND_CODES, type CommandCode, type Field } from "../grammar/ast.js";
import { gsmSafe } from "./gsm7.js";

export type Language = "id" | "en";

export interface CaseSummary {
  caseId: number;
  count: number;
  species: string;
  place: string;
}

export interface Catalog {
  commandList(): string;
  /** `?`: the codes the sender may use, each with a word of what it does. */
  commandHelp(commands: CommandCode[]): string;
  commentRecorded(caseId: number): string;
  codesFound(items: string): string;
  noMatch(name: string): string;
  subLocations(place: string, items: string): string;
  senderCases(cases: string[]): string;
  negativeRecorded(place: string, date: string): string;
  negativeAlready(place: string, date: string): string;
  questionForwarded(recipients: number): string;
  questionAlert(sender: string, phone: string, question: string): string;
  permitIssued(permitId: number, owner: string, animals: string, origin: string, destination: string): string;
  permitFound(
    permitId: number,
    date: string,
    owner: string,
    animals: string,
    origin: string,
    destination: string,
  ): string;
  permitNotFound(permitId: number): string;
  cullingRecorded(program: string, place: string, groups: string): string;
  responseRecorded(caseId: number, diagnoses: string): string;
  treatmentRecorded(caseId: number, drug: string, count: number): string;
  format(command: CommandCode): string;
  unknownCommand(word: string): string;
  badField(command: CommandCode, field: Field, value: string | undefined): string;
  /** A list typed with spaces between its items; `suggestion` is the message as it should read. */
  spacedList(field: Field, suggestion: string): string;
  extraWords(command: CommandCode, words: string): string;
  /** An unknown code of a short list, answered with the list itself. */
  unknownChoice(field: Field, value: string, choices: string): string;
  outOfRange(field: Field, value: number, min: number, max: number): string;
  unknownCode(field: Field, value: string, list: string): string;
  unknownLocation(code: string): string;
  notAVillage(code: string): string;
  outsideArea(code: string): string;
  caseNotFound(caseId: number): string;
  caseOutsideArea(caseId: number): string;
  unknownInfrastructure(field: Field, code: string): string;
  unknownProgram(code: string): string;
  ddxRequired(command: CommandCode): string;
  notPermitted(command: CommandCode): string;
  notRegistered(): string;
  inactive(): string;
  duplicate(caseId: number | null): string;
  failed(): string;
  caseRecorded(summary: CaseSummary & { signs: string }): string;
  priorityRecorded(summary: CaseSummary & { syndrome: string }): string;
  caseAlert(summary: CaseSummary & { signs: string; reporter: string }): string;
  priorityAlert(summary: CaseSummary & { syndrome: string; reporter: string }): string;
  priorityAlertSubject(caseId: number, syndrome: string, place: string): string;
  outcomeRecorded(caseId: number, count: number, species: string, outcome: string): string;
  outcomeCopy(caseId: number, count: number, species: string, outcome: string, reporter: string): string;
  labRecorded(caseId: number, lab: string, specimens: string, place: string): string;
  specimenGroup(count: number, type: string, form: string, section: string | null): string;
  labNotice(caseId: number, specimens: string, submitter: string, place: string): string;
  vaccinationRecorded(program: string, place: string, groups: string): string;
  slaughterRecorded(slaughterhouse: string, date: string, groups: string): string;
  populationRecorded(place: string, groups: string): string;
  deleted(what: string, when: string): string;
  nothingToDelete(): string;
  villageCases(place: string, cases: string[]): string;
  codeLists(lists: string): string;
  codeList(list: string, codes: string): string;
  unknownList(list: string): string;
  locationsFound(name: string, places: string[]): string;
  noLocation(name: string): string;
}

const commandCodes = COMMAND_CODES.join(" ");

const formatsId: Record<CommandCode, string> = {
  U: "U [tanda,tanda] [spesies] [jumlah] {lokasi} {ddx,ddx}. Contoh: U MC,DM SP 4",
  P: "P [sindrom] [spesies] [jumlah] {lokasi} {ddx,ddx}. Contoh: P AI AY 20",
  PK: "PK [id kasus] [hasil SB/MS/MT]. Contoh: PK 2238 SB",
  LAB: "LAB [id kasus] ([jenis] [bentuk] {bagian} [jumlah])... [id lab]. Contoh: LAB 2055 FES SG PAR 2 730801",
  VAK: "VAK [id program] [lokasi] ([spesies] [primer] {booster})... Contoh: VAK 101 72060202 SP 10 2",
  RP: "RP [id RPH] ([spesies] [jantan] [betina])... Contoh: RP RPH7206 SP 3 2",
  POP: "POP {lokasi} ([spesies] [jumlah])... Contoh: POP SP 120 KB 40",
  H: "H (hapus laporan terakhir Anda dalam 24 jam)",
  LAPD: "LAPD [kode desa]. Contoh: LAPD 72060202",
  KODE: "KODE {daftar}. Contoh: KODE SP",
  CKL: "CKL [nama lokasi]. Contoh: CKL Lemo",
  "?": "? (daftar kode perintah)",
  KOM: "KOM [id kasus] [komentar]. Contoh: KOM 2238 sapi sudah diobati",
  CKT: "CKT [nama tanda]. Contoh: CKT demam",
  CKP: "CKP [nama sindrom]. Contoh: CKP rabies",
  CKO: "CKO [nama hasil]. Contoh: CKO mati",
  DKL: "DKL {kode lokasi}. Contoh: DKL 720602",
  LAPK: "LAPK (5 kasus terakhir yang Anda laporkan)",
  PNEG: "PNEG {kode desa} (tidak ada kasus untuk dilaporkan). Contoh: PNEG",
  Q: "Q [pertanyaan]. Contoh: Q bagaimana melapor ayam mati?",
  SK: "SK [ID pemilik] [asal] [tujuan] ([spesies] [jumlah])... {telp}. Contoh: SK 7206011 72060202 73080101 SP 10",
  VSK: "VSK [nomor SKKH]. Contoh: VSK 208",
  CUL: "CUL [id program] [lokasi] ([spesies] [jumlah])... Contoh: CUL 201 72060202 AY 50",
  R: "R [id kasus] [diagnosa,diagnosa]. Contoh: R 2238 COC,SAL",
  OB: "OB [id kasus] [obat] [jumlah hewan]. Contoh: OB 2238 OXY 4",
};

const wordsId: Record<CommandCode, string> = {
  U: "kasus",
  P: "prioritas",
  PK: "hasil kasus",
  LAB: "spesimen",
  VAK: "vaksinasi",
  RP: "potong",
  POP: "populasi",
  H: "hapus",
  LAPD: "kasus desa",
  KODE: "kode",
  CKL: "cari lokasi",
  "?": "bantuan",
  KOM: "komentar",
  CKT: "cari tanda",
  CKP: "cari sindrom",
  CKO: "cari hasil",
  DKL: "sublokasi",
  LAPK: "kasus saya",
  PNEG: "nihil",
  Q: "tanya",
  SK: "SKKH",
  VSK: "cek SKKH",
  CUL: "pemusnahan",
  R: "respons",
  OB: "pengobatan",
};

const formatsEn: Record<CommandCode, string> = {
  U: "U [sign,sign] [species] [n] {location} {ddx,ddx}. Example: U MC,DM SP 4",
  P: "P [syndrome] [species] [n] {location} {ddx,ddx}. Example: P AI AY 20",
  PK: "PK [case id] [outcome SB/MS/MT]. Example: PK 2238 SB",
  LAB: "LAB [case id] ([type] [form] {section} [n])... [lab id]. Example: LAB 2055 FES SG PAR 2 730801",
  VAK: "VAK [program id] [location] ([species] [primary] {booster})... Example: VAK 101 72060202 SP 10 2",
  RP: "RP [slaughterhouse id] ([species] [male] [female])... Example: RP RPH7206 SP 3 2",
  POP: "POP {location} ([species] [count])... Example: POP SP 120 KB 40",
  H: "H (deletes your last report of the last 24 hours)",
  LAPD: "LAPD [village code]. Example: LAPD 72060202",
  KODE: "KODE {list}. Example: KODE SP",
  CKL: "CKL [location name]. Example: CKL Lemo",
  "?": "? (lists the command codes)",
  KOM: "KOM [case id] [comment]. Example: KOM 2238 cattle treated",
  CKT: "CKT [sign name]. Example: CKT fever",
  CKP: "CKP [syndrome name]. Example: CKP rabies",
  CKO: "CKO [outcome name]. Example: CKO dead",
  DKL: "DKL {location code}. Example: DKL 720602",
  LAPK: "LAPK (the last 5 cases you reported)",
  PNEG: "PNEG {village code} (nothing to report). Example: PNEG",
  Q: "Q [question]. Example: Q how do I report dead chickens?",
  SK: "SK [owner ID] [origin] [destination] ([species] [n])... {phone}. Example: SK 7206011 72060202 73080101 SP 10",
  VSK: "VSK [permit number]. Example: VSK 208",
  CUL: "CUL [program id] [location] ([species] [n])... Example: CUL 201 72060202 AY 50",
  R: "R [case id] [diagnosis,diagnosis]. Example: R 2238 COC,SAL",
  OB: "OB [case id] [drug] [animals treated]. Example: OB 2238 OXY 4",
};

const wordsEn: Record<CommandCode, string> = {
  U: "case",
  P: "priority",
  PK: "outcome",
  LAB: "specimens",
  VAK: "vaccination",
  RP: "slaughter",
  POP: "population",
  H: "delete",
  LAPD: "village cases",
  KODE: "codes",
  CKL: "find place",
  "?": "help",
  KOM: "comment",
  CKT: "find sign",
  CKP: "find syndrome",
  CKO: "find outcome",
  DKL: "sub-places",
  LAPK: "my cases",
  PNEG: "nothing to report",
  Q: "question",
  SK: "movement permit",
  VSK: "check permit",
  CUL: "culling",
  R: "response",
  OB: "treatment",
};

const fieldsId: Record<Field, string> = {
  signs: "tanda klinis",
  species: "spesies",
  count: "jumlah",
  location: "lokasi",
  ddx: "diagnosa banding",
  syndrome: "sindrom",
  caseId: "ID kasus",
  outcome: "hasil",
  specimenType: "jenis spesimen",
  form: "bentuk spesimen",
  section: "bagian lab",
  lab: "ID lab",
  program: "ID program",
  slaughterhouse: "ID RPH",
  male: "jumlah jantan",
  female: "jumlah betina",
  primary: "jumlah primer",
  booster: "jumlah booster",
  village: "kode desa",
  list: "daftar",
  name: "nama (min. 3 huruf)",
  text: "teks",
  owner: "ID pemilik",
  destination: "desa tujuan",
  phone: "telp pemilik",
  permit: "nomor SKKH",
  drug: "obat",
};

const fieldsEn: Record<Field, string> = {
  signs: "clinical signs",
  species: "species",
  count: "count",
  location: "location",
  ddx: "differential diagnoses",
  syndrome: "syndrome",
  caseId: "case id",
  outcome: "outcome",
  specimenType: "specimen type",
  form: "specimen form",
  section: "lab section",
  lab: "lab id",
  program: "program id",
  slaughterhouse: "slaughterhouse id",
  male: "male count",
  female: "female count",
  primary: "primary count",
  booster: "booster count",
  village: "village code",
  list: "list",
  name: "name (3+ letters)",
  text: "text",
  owner: "owner ID",
  destination: "destination village",
  phone: "owner phone",
  permit: "permit number",
  drug: "drug",
};

/** Text a person typed, quoted back: in GSM-7 (never turning the reply into UCS-2) and short. */
function echo(text: string, max = 24): string {
  const safe = gsmSafe(text);
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
}

/** Every text of a catalog starting with a capital, whatever its first word (`Jumlah 0 …`). */
function capitalised(texts: Catalog): Catalog {
  const wrapped: Record<string, unknown> = {};
  for (const [name, compose] of Object.entries(texts) as [string, (...args: never[]) => string][]) {
    wrapped[name] = (...args: never[]) => {
      const text = compose(...args);
      return text.charAt(0).toUpperCase() + text.slice(1);
    };
  }
  return wrapped as unknown as Catalog;
}

const id: Catalog = capitalised({
  commandList: () => `Kode perintah: ${commandCodes}. Kirim kode saja untuk formatnya.`,
  commandHelp: (commands) =>
    `${commands.map((code) => `${code} ${wordsId[code]}`).join("; ")}. Kirim kode saja untuk formatnya.`,
  commentRecorded: (caseId) => `[ID Kasus ${caseId}]. Komentar dicatat.`,
  codesFound: (items) => items,
  noMatch: (name) => `Tidak ada kode untuk '${echo(name)}'.`,
  subLocations: (place, items) => `${place}: ${items}`,
  senderCases: (cases) =>
    cases.length === 0 ? "Anda belum melaporkan kasus." : `Kasus Anda: ${cases.join("; ")}`,
  negativeRecorded: (place, date) => `Laporan nihil ${place} ${date} dicatat. Terima kasih.`,
  negativeAlready: (place, date) => `Laporan nihil ${place} ${date} sudah dicatat.`,
  questionForwarded: (recipients) =>
    recipients === 0
      ? "Pertanyaan dicatat; belum ada koordinator untuk wilayah Anda."
      : `Pertanyaan diteruskan ke ${recipients} koordinator. Mereka akan menghubungi Anda.`,
  questionAlert: (sender, phone, question) => `Pertanyaan dari ${sender} (${phone}): ${question}`,
  permitIssued: (permitId, owner, animals, origin, destination) =>
    `SKKH nomor ${permitId} untuk pemilik ID ${owner}. Hewan: ${animals}. Asal: ${origin}. Tujuan: ${destination}.`,
  permitFound: (permitId, date, owner, animals, origin, destination) =>
    `SKKH ${permitId} sah, ${date}: pemilik ID ${owner}. Hewan: ${animals}. Asal: ${origin}. Tujuan: ${destination}.`,
  permitNotFound: (permitId) => `SKKH ${permitId} tidak ditemukan.`,
  cullingRecorded: (program, place, groups) => `Pemusnahan ${program} di ${place} dicatat: ${groups}.`,
  responseRecorded: (caseId, diagnoses) => `[ID Kasus ${caseId}]. Respons dicatat: ${diagnoses}.`,
  treatmentRecorded: (caseId, drug, count) =>
    `[ID Kasus ${caseId}]. Pengobatan ${drug} untuk ${count} hewan dicatat.`,
  format: (command) => `Format: ${formatsId[command]}`,
  unknownCommand: (word) => `'${echo(word)}' bukan perintah. Kode: ${commandCodes}`,
  badField: (command, field, value) =>
    `${value === undefined ? `${fieldsId[field]} tidak ada` : `${fieldsId[field]} '${echo(value)}' salah`}. Format: ${formatsId[command]}`,
  spacedList: (field, suggestion) => `${fieldsId[field]} dipisah koma: ${echo(suggestion, 120)}`,
  extraWords: (command, words) => `Kata berlebih '${echo(words)}'. Format: ${formatsId[command]}`,
  unknownChoice: (field, value, choices) =>
    `${fieldsId[field]} '${echo(value)}' tidak dikenal. Pilih: ${choices}`,
  outOfRange: (field, value, min, max) => `${fieldsId[field]} ${value} di luar batas (${min}-${max}).`,
  unknownCode: (field, value, list) =>
    `${fieldsId[field]} '${echo(value)}' tidak dikenal. Kirim KODE ${list} untuk daftarnya.`,
  unknownLocation: (code) => `Lokasi ${code} tidak dikenal. Kirim CKL [nama] untuk mencari kode.`,
  notAVillage: (code) => `${code} bukan kode desa (8 angka).`,
  outsideArea: (code) => `Lokasi ${code} di luar wilayah tanggung jawab Anda.`,
  caseNotFound: (caseId) => `Kasus ${caseId} tidak ditemukan.`,
  caseOutsideArea: (caseId) => `Kasus ${caseId} di luar wilayah Anda.`,
  unknownInfrastructure: (field, code) => `${fieldsId[field]} '${echo(code)}' tidak dikenal.`,
  unknownProgram: (code) => `Program '${echo(code)}' tidak dikenal.`,
  ddxRequired: (command) => `Petugas kabupaten wajib memberi diagnosa banding. Format: ${formatsId[command]}`,
  notPermitted: (command) => `Jenis pengguna Anda tidak boleh mengirim ${command}.`,
  notRegistered: () =>
    "Nomor ini belum terdaftar di iSIKHNAS. Untuk mendaftar, hubungi koordinator iSIKHNAS di dinas peternakan kabupaten Anda.",
  inactive: () => "Akun Anda tidak aktif. Hubungi dinas peternakan kabupaten Anda.",
  duplicate: (caseId) =>
    caseId === null
      ? "Pesan yang sama sudah diterima dalam 10 menit terakhir; tidak dicatat dua kali."
      : `Sudah diterima: [ID Kasus ${caseId}]. Tidak dicatat dua kali.`,
  failed: () => "Laporan tidak dapat disimpan. Silakan coba lagi nanti.",
  caseRecorded: (s) =>
    `[ID Kasus ${s.caseId}]. ${s.count} ${s.species} (${s.signs}) di ${s.place}. Terima kasih.`,
  priorityRecorded: (s) =>
    `[ID Kasus ${s.caseId}]. PRIORITAS ${s.syndrome}: ${s.count} ${s.species} di ${s.place}. Petugas diberi tahu.`,
  caseAlert: (s) =>
    `Kasus baru ${s.caseId}: ${s.count} ${s.species} (${s.signs}) di ${s.place}. Pelapor: ${s.reporter}`,
  priorityAlert: (s) =>
    `MENDESAK kasus ${s.caseId}: ${s.syndrome}, ${s.count} ${s.species} di ${s.place}. Pelapor: ${s.reporter}`,
  priorityAlertSubject: (caseId, syndrome, place) =>
    `MENDESAK: kasus prioritas ${caseId} (${syndrome}) di ${place}`,
  outcomeRecorded: (caseId, count, species, outcome) =>
    `[ID Kasus ${caseId}]. ${count} ${species} : ${outcome}`,
  outcomeCopy: (caseId, count, species, outcome, reporter) =>
    `[ID Kasus ${caseId}]. ${count} ${species} : ${outcome}. Dari ${reporter}`,
  labRecorded: (caseId, lab, specimens, place) =>
    `[ID Kasus ${caseId}]. Spesimen dikirim ke ${lab}: ${specimens} dari ${place}.`,
  specimenGroup: (count, type, form, section) =>
    `${count} ${type} ${form}${section ? ` untuk ${section}` : ""}`,
  labNotice: (caseId, specimens, submitter, place) =>
    `Spesimen masuk: kasus ${caseId}, ${specimens}, ${place}. Pengirim: ${submitter}`,
  vaccinationRecorded: (program, place, groups) => `Vaksinasi ${program} di ${place} dicatat: ${groups}.`,
  slaughterRecorded: (slaughterhouse, date, groups) =>
    `Pemotongan ${slaughterhouse} ${date} dicatat: ${groups}.`,
  populationRecorded: (place, groups) => `Populasi ${place} dicatat: ${groups}.`,
  deleted: (what, when) => `Laporan ${when} (${what}) dihapus.`,
  nothingToDelete: () => "Tidak ada laporan Anda dalam 24 jam terakhir untuk dihapus.",
  villageCases: (place, cases) =>
    cases.length === 0 ? `${place}: belum ada kasus.` : `${place}: ${cases.join("; ")}`,
  codeLists: (lists) => `KODE: ${lists}`,
  codeList: (list, codes) => `${list}: ${codes}`,
  unknownList: (list) => `Daftar '${echo(list)}' tidak dikenal. Kirim KODE untuk semua daftar.`,
  locationsFound: (name, places) => `${echo(name)}: ${places.join("; ")}`,
  noLocation: (name) => `Tidak ada lokasi bernama '${echo(name)}'.`,
});

const en: Catalog = capitalised({
  commandList: () => `Command codes: ${commandCodes}. Send a code alone for its format.`,
  commandHelp: (commands) =>
    `${commands.map((code) => `${code} ${wordsEn[code]}`).join("; ")}. Send a code alone for its format.`,
  commentRecorded: (caseId) => `[Case ID ${caseId}]. Comment recorded.`,
  codesFound: (items) => items,
  noMatch: (name) => `No code for '${echo(name)}'.`,
  subLocations: (place, items) => `${place}: ${items}`,
  senderCases: (cases) =>
    cases.length === 0 ? "You have reported no cases." : `Your cases: ${cases.join("; ")}`,
  negativeRecorded: (place, date) => `Nothing to report at ${place} on ${date}: recorded. Thank you.`,
  negativeAlready: (place, date) => `Nothing to report at ${place} on ${date}: already recorded.`,
  questionForwarded: (recipients) =>
    recipients === 0
      ? "Question recorded; there is no coordinator for your area yet."
      : `Question forwarded to ${recipients} coordinator(s). They will contact you.`,
  questionAlert: (sender, phone, question) => `Question from ${sender} (${phone}): ${question}`,
  permitIssued: (permitId, owner, animals, origin, destination) =>
    `Movement permit ${permitId} for owner ID ${owner}. Animals: ${animals}. From: ${origin}. To: ${destination}.`,
  permitFound: (permitId, date, owner, animals, origin, destination) =>
    `Permit ${permitId} valid, ${date}: owner ID ${owner}. Animals: ${animals}. From: ${origin}. To: ${destination}.`,
  permitNotFound: (permitId) => `Permit ${permitId} not found.`,
  cullingRecorded: (program, place, groups) => `Culling ${program} at ${place} recorded: ${groups}.`,
  responseRecorded: (caseId, diagnoses) => `[Case ID ${caseId}]. Response recorded: ${diagnoses}.`,
  treatmentRecorded: (caseId, drug, count) =>
    `[Case ID ${caseId}]. Treatment ${drug} of ${count} animals recorded.`,
  format: (command) => `Format: ${formatsEn[command]}`,
  unknownCommand: (word) => `'${echo(word)}' is not a command. Codes: ${commandCodes}`,
  badField: (command, field, value) =>
    `${value === undefined ? `Missing ${fieldsEn[field]}` : `Wrong ${fieldsEn[field]} '${echo(value)}'`}. Format: ${formatsEn[command]}`,
  spacedList: (field, suggestion) => `${fieldsEn[field]} are separated by commas: ${echo(suggestion, 120)}`,
  extraWords: (command, words) => `Extra words '${echo(words)}'. Format: ${formatsEn[command]}`,
  unknownChoice: (field, value, choices) => `Unknown ${fieldsEn[field]} '${echo(value)}'. Choose: ${choices}`,
  outOfRange: (field, value, min, max) => `${fieldsEn[field]} ${value} out of range (${min}-${max}).`,
  unknownCode: (field, value, list) =>
    `Unknown ${fieldsEn[field]} '${echo(value)}'. Send KODE ${list} for the list.`,
  unknownLocation: (code) => `Unknown location ${code}. Send CKL [name] to find codes.`,
  notAVillage: (code) => `${code} is not a village code (8 digits).`,
  outsideArea: (code) => `Location ${code} is outside your area of responsibility.`,
  caseNotFound: (caseId) => `Case ${caseId} not found.`,
  caseOutsideArea: (caseId) => `Case ${caseId} is not in your area.`,
  unknownInfrastructure: (field, code) => `Unknown ${fieldsEn[field]} '${echo(code)}'.`,
  unknownProgram: (code) => `Unknown program '${echo(code)}'.`,
  ddxRequired: (command) => `District staff must give differential diagnoses. Format: ${formatsEn[command]}`,
  notPermitted: (command) => `Your user type may not send ${command}.`,
  notRegistered: () =>
    "This number is not registered with iSIKHNAS. To register, contact the iSIKHNAS coordinator at your district animal health office.",
  inactive: () => "Your account is inactive. Please contact your district animal health office.",
  duplicate: (caseId) =>
    caseId === null
      ? "The same message was received in the last 10 minutes; not recorded twice."
      : `Already received: [Case ID ${caseId}]. Not recorded twice.`,
  failed: () => "The report could not be saved. Please try again later.",
  caseRecorded: (s) =>
    `[Case ID ${s.caseId}]. ${s.count} ${s.species} (${s.signs}) at ${s.place}. Thank you.`,
  priorityRecorded: (s) =>
    `[Case ID ${s.caseId}]. PRIORITY ${s.syndrome}: ${s.count} ${s.species} at ${s.place}. Officers alerted.`,
  caseAlert: (s) =>
    `New case ${s.caseId}: ${s.count} ${s.species} (${s.signs}) at ${s.place}. Reporter: ${s.reporter}`,
  priorityAlert: (s) =>
    `URGENT case ${s.caseId}: ${s.syndrome}, ${s.count} ${s.species} at ${s.place}. Reporter: ${s.reporter}`,
  priorityAlertSubject: (caseId, syndrome, place) =>
    `URGENT: priority case ${caseId} (${syndrome}) in ${place}`,
  outcomeRecorded: (caseId, count, species, outcome) =>
    `[Case ID ${caseId}]. ${count} ${species} : ${outcome}`,
  outcomeCopy: (caseId, count, species, outcome, reporter) =>
    `[Case ID ${caseId}]. ${count} ${species} : ${outcome}. From ${reporter}`,
  labRecorded: (caseId, lab, specimens, place) =>
    `[Case ID ${caseId}]. Specimens sent to ${lab}: ${specimens} from ${place}.`,
  specimenGroup: (count, type, form, section) =>
    `${count} ${form} ${type}${section ? ` for ${section}` : ""}`,
  labNotice: (caseId, specimens, submitter, place) =>
    `Specimens coming: case ${caseId}, ${specimens}, ${place}. Sender: ${submitter}`,
  vaccinationRecorded: (program, place, groups) => `Vaccination ${program} at ${place} recorded: ${groups}.`,
  slaughterRecorded: (slaughterhouse, date, groups) =>
    `Slaughter at ${slaughterhouse} on ${date} recorded: ${groups}.`,
  populationRecorded: (place, groups) => `Population of ${place} recorded: ${groups}.`,
  deleted: (what, when) => `Report of ${when} (${what}) deleted.`,
  nothingToDelete: () => "You have no report from the last 24 hours to delete.",
  villageCases: (place, cases) =>
    cases.length === 0 ? `${place}: no cases yet.` : `${place}: ${cases.join("; ")}`,
  codeLists: (lists) => `KODE: ${lists}`,
  codeList: (list, codes) => `${list}: ${codes}`,
  unknownList: (list) => `Unknown list '${echo(list)}'. Send KODE for all lists.`,
  locationsFound: (name, places) => `${echo(name)}: ${places.join("; ")}`,
  noLocation: (name) => `No location named '${echo(name)}'.`,
});

export const catalogs: Record<Language, Catalog> = { id, en };

export function catalogFor(language: string): Catalog {
  return language === "en" ? en : id;
}
