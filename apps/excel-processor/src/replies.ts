// The words of every answer an upload gets, in the sender's language, subject prefixed
// with the system tag.
import type { TemplateDefinition } from "@isikhnas/domain";
import type { Language, WorkbookProblemCode, WorkbookRejected } from "@isikhnas/workbooks";

export interface Reply {
  subject: string;
  text: string;
}

type Details = Readonly<Record<string, string | number>>;

const PROBLEMS: Record<WorkbookProblemCode, Record<Language, (details: Details) => string>> = {
  legacy_xls: {
    id: () =>
      "File ini berformat Excel 97-2003 (.xls). Simpan sebagai Buku Kerja Excel (.xlsx) lalu kirim ulang.",
    en: () =>
      "This file is in Excel 97-2003 format (.xls). Save it as an Excel Workbook (.xlsx) and send it again.",
  },
  macro_enabled: {
    id: () =>
      "File ini berisi makro (.xlsm). Simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro lalu kirim ulang.",
    en: () =>
      "This file contains macros (.xlsm). Save it as an Excel Workbook (.xlsx) without macros and send it again.",
  },
  encrypted: {
    id: () => "File ini dilindungi kata sandi. Hapus kata sandinya lalu kirim ulang.",
    en: () => "This file is password-protected. Remove the password and send it again.",
  },
  corrupt: {
    id: () => "File ini rusak dan tidak dapat dibuka. Simpan ulang di Excel lalu kirim lagi.",
    en: () => "This file is damaged and cannot be opened. Save it again in Excel and resend it.",
  },
  not_a_workbook: {
    id: () => "Lampiran ini bukan file Excel (.xlsx).",
    en: () => "This attachment is not an Excel file (.xlsx).",
  },
  file_too_large: {
    id: (d) => `File terlalu besar (batas ${megabytes(d.limit)} MB). Bagi menjadi beberapa file.`,
    en: (d) => `The file is too large (limit ${megabytes(d.limit)} MB). Split it into several files.`,
  },
  zip_bomb: {
    id: () => "Isi file ini jauh melebihi batas ukuran yang diizinkan. File tidak diproses.",
    en: () => "This file expands far beyond the allowed size. It was not processed.",
  },
  too_many_rows: {
    id: (d) => `Lembar ${d.sheet} memiliki lebih dari ${d.limit} baris. Bagi menjadi beberapa file.`,
    en: (d) => `Sheet ${d.sheet} has more than ${d.limit} rows. Split it into several files.`,
  },
  too_many_columns: {
    id: (d) => `Lembar ${d.sheet} memiliki lebih dari ${d.limit} kolom.`,
    en: (d) => `Sheet ${d.sheet} has more than ${d.limit} columns.`,
  },
  unknown_template: {
    id: () =>
      "Template tidak dikenali. Kirim e-mail dengan subjek TEMPLATE <kode> untuk mendapat template kosong.",
    en: () =>
      "The template was not recognised. Send a mail with subject TEMPLATE <code> to get a blank template.",
  },
  wrong_template_version: {
    id: (d) =>
      `Template ${d.templateId} versi ${d.version} sudah tidak berlaku (versi sekarang ${d.current}). Minta template baru dengan subjek TEMPLATE ${d.templateId}.`,
    en: (d) =>
      `Template ${d.templateId} version ${d.version} is out of date (current version ${d.current}). Ask for a new one with subject TEMPLATE ${d.templateId}.`,
  },
  missing_sheet: {
    id: (d) => `Lembar ${d.sheet} tidak ada di file ini.`,
    en: (d) => `Sheet ${d.sheet} is missing from this file.`,
  },
  missing_columns: {
    id: (d) => `Lembar ${d.sheet} tidak memiliki kolom wajib: ${d.columns}.`,
    en: (d) => `Sheet ${d.sheet} lacks required columns: ${d.columns}.`,
  },
  empty: {
    id: () => "File ini tidak berisi data.",
    en: () => "This file contains no data.",
  },
};

function megabytes(value: string | number | undefined): string {
  return String(Math.floor(Number(value ?? 0) / (1024 * 1024)));
}

const title = (template: TemplateDefinition | undefined, language: Language) =>
  template?.title[language] ?? "Excel";

export const replies = {
  badFile(tag: string, language: Language, filename: string, problem: WorkbookRejected): Reply {
    const explain = PROBLEMS[problem.code][language](problem.details);
    return language === "en"
      ? {
          subject: `${tag} File not processed: ${filename}`,
          text: `${tag} ${filename}: ${explain}\nNothing was imported.`,
        }
      : {
          subject: `${tag} File tidak diproses: ${filename}`,
          text: `${tag} ${filename}: ${explain}\nTidak ada data yang disimpan.`,
        };
  },

  notPermitted(tag: string, language: Language, template: TemplateDefinition): Reply {
    return language === "en"
      ? {
          subject: `${tag} Not permitted: ${template.title.en}`,
          text: `${tag} Your user type may not upload the template "${template.title.en}". Nothing was imported. Ask your coordinator if you need this permission.`,
        }
      : {
          subject: `${tag} Tidak diizinkan: ${template.title.id}`,
          text: `${tag} Jenis pengguna Anda tidak diizinkan mengirim template "${template.title.id}". Tidak ada data yang disimpan. Hubungi koordinator Anda bila memerlukan izin ini.`,
        };
  },

  notRegistered(tag: string, language: Language): Reply {
    return language === "en"
      ? {
          subject: `${tag} Not registered`,
          text: `${tag} This e-mail address is not registered with iSIKHNAS.`,
        }
      : { subject: `${tag} Belum terdaftar`, text: `${tag} Alamat e-mail ini belum terdaftar di iSIKHNAS.` };
  },

  imported(
    tag: string,
    language: Language,
    template: TemplateDefinition,
    upload: { id: number; filename: string; rows: number; counts: Record<string, number>; reports: number },
  ): Reply {
    const counts = Object.entries(upload.counts)
      .map(([kind, count]) => `${COUNT_WORDS[kind]?.[language] ?? kind}: ${count}`)
      .join(", ");
    const reports =
      upload.reports === 0
        ? ""
        : language === "en"
          ? `\n${upload.reports} client report(s) will follow by e-mail.`
          : `\n${upload.reports} laporan klien akan dikirim menyusul melalui e-mail.`;
    return language === "en"
      ? {
          subject: `${tag} Imported: ${template.title.en} (upload ${upload.id})`,
          text: `${tag} ${upload.filename} was imported as upload ${upload.id}: ${upload.rows} rows (${counts}).${reports}`,
        }
      : {
          subject: `${tag} Berhasil disimpan: ${template.title.id} (unggahan ${upload.id})`,
          text: `${tag} ${upload.filename} berhasil disimpan sebagai unggahan ${upload.id}: ${upload.rows} baris (${counts}).${reports}`,
        };
  },

  rejected(
    tag: string,
    language: Language,
    template: TemplateDefinition,
    upload: { id: number; filename: string; errors: number; annotated: boolean },
  ): Reply {
    const where =
      language === "en"
        ? upload.annotated
          ? "The attached copy of your file marks each error in red with a note, and lists them on the Errors sheet."
          : "The attached workbook lists the errors."
        : upload.annotated
          ? "Salinan file Anda terlampir: setiap kesalahan ditandai merah dengan catatan, dan didaftar di lembar Kesalahan."
          : "Daftar kesalahan ada di file terlampir.";
    return language === "en"
      ? {
          subject: `${tag} Not imported, ${upload.errors} errors: ${template.title.en}`,
          text: `${tag} ${upload.filename} has ${upload.errors} errors, so nothing was imported (upload ${upload.id}). ${where} Correct them and send the file again.`,
        }
      : {
          subject: `${tag} Tidak disimpan, ${upload.errors} kesalahan: ${template.title.id}`,
          text: `${tag} ${upload.filename} memiliki ${upload.errors} kesalahan sehingga tidak ada data yang disimpan (unggahan ${upload.id}). ${where} Perbaiki lalu kirim ulang file tersebut.`,
        };
  },

  alreadyReceived(
    tag: string,
    language: Language,
    template: TemplateDefinition | undefined,
    first: { id: number; status: string; receivedAt: Date; filename: string },
  ): Reply {
    const when = first.receivedAt.toISOString().slice(0, 16).replace("T", " ");
    if (first.status === "imported") {
      return language === "en"
        ? {
            subject: `${tag} Already imported: ${title(template, language)} (upload ${first.id})`,
            text: `${tag} This file was already imported as upload ${first.id} (${first.filename}, received ${when} UTC). Nothing was imported again.`,
          }
        : {
            subject: `${tag} Sudah pernah disimpan: ${title(template, language)} (unggahan ${first.id})`,
            text: `${tag} File ini sudah disimpan sebagai unggahan ${first.id} (${first.filename}, diterima ${when} UTC). Tidak ada data yang disimpan ulang.`,
          };
    }
    return language === "en"
      ? {
          subject: `${tag} Already checked: ${title(template, language)} (upload ${first.id})`,
          text: `${tag} This same file was already checked as upload ${first.id} (received ${when} UTC) and had errors. Correct the errors listed in that answer and send the corrected file.`,
        }
      : {
          subject: `${tag} Sudah pernah diperiksa: ${title(template, language)} (unggahan ${first.id})`,
          text: `${tag} File yang sama sudah diperiksa sebagai unggahan ${first.id} (diterima ${when} UTC) dan berisi kesalahan. Perbaiki kesalahan pada jawaban tersebut lalu kirim file yang sudah diperbaiki.`,
        };
  },
};

const COUNT_WORDS: Record<string, Record<Language, string>> = {
  reports: { id: "laporan", en: "reports" },
  users: { id: "pengguna", en: "users" },
  contacts: { id: "kontak", en: "contacts" },
  areas: { id: "wilayah", en: "areas" },
  submissions: { id: "pengiriman", en: "submissions" },
  specimens: { id: "spesimen", en: "specimens" },
  results: { id: "hasil", en: "results" },
};
