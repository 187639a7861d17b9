// User registration (wiki columns: course id, first name, last name, phone 08…, e-mail,
// location, areas of responsibility; plus user type and language). Never a password.
import type { TemplateDefinition } from "./types.js";

export const userRegistration: TemplateDefinition = {
  id: "user_registration",
  version: 1,
  title: { id: "Registrasi pengguna", en: "User registration" },
  description: {
    id: "Satu baris per pengguna baru. Nomor HP dan e-mail belum boleh terdaftar.",
    en: "One row per new user. Phone and e-mail must not be registered yet.",
  },
  sheets: [
    {
      key: "users",
      name: { id: "Registrasi", en: "Registration" },
      columns: [
        {
          key: "course_id",
          header: { id: "ID pelatihan", en: "Course id" },
          hint: { id: "Kode pelatihan (boleh kosong)", en: "Training course id (optional)" },
          type: { kind: "text", maxLength: 50 },
          required: false,
        },
        {
          key: "first_name",
          header: { id: "Nama depan", en: "First name" },
          hint: { id: "Nama depan", en: "First name" },
          type: { kind: "text", maxLength: 100 },
          required: true,
        },
        {
          key: "last_name",
          header: { id: "Nama belakang", en: "Last name" },
          hint: { id: "Nama belakang (boleh kosong)", en: "Last name (optional)" },
          type: { kind: "text", maxLength: 100 },
          required: false,
        },
        {
          key: "phone",
          header: { id: "No HP", en: "Phone" },
          hint: { id: "Nomor HP, mis. 081234567890", en: "Mobile number, e.g. 081234567890" },
          type: { kind: "phone" },
          required: true,
          mustBeNew: "smsContact",
        },
        {
          key: "email",
          header: { id: "E-mail", en: "E-mail" },
          hint: { id: "Alamat e-mail (boleh kosong)", en: "E-mail address (optional)" },
          type: { kind: "email" },
          required: false,
          mustBeNew: "emailContact",
        },
        {
          key: "location",
          header: { id: "Lokasi", en: "Location" },
          hint: { id: "Kode desa tempat tinggal, 8 angka", en: "8-digit code of the home village" },
          type: { kind: "reference", entity: "village" },
          required: true,
          withinSenderAreas: true,
        },
        {
          key: "areas",
          header: { id: "Wilayah tanggung jawab", en: "Areas of responsibility" },
          hint: {
            id: "Kode lokasi dipisah koma, mis. 7206,720602",
            en: "Location codes separated by commas, e.g. 7206,720602",
          },
          type: { kind: "locationList" },
          required: false,
        },
        {
          key: "user_type",
          header: { id: "Jenis pengguna", en: "User type" },
          hint: { id: "Kode jenis pengguna, mis. paravet", en: "User type code, e.g. paravet" },
          type: { kind: "reference", entity: "userType" },
          required: true,
        },
        {
          key: "language",
          header: { id: "Bahasa", en: "Language" },
          hint: { id: "id atau en (kosong = id)", en: "id or en (blank = id)" },
          type: { kind: "choice", values: ["id", "en"] },
          required: false,
          defaultValue: "id",
        },
      ],
      rowRules: [],
      sheetRules: [
        {
          kind: "unique",
          columns: ["phone"],
          message: {
            id: "Nomor HP yang sama ada di baris lain",
            en: "The same phone number is on another row",
          },
        },
        {
          kind: "unique",
          columns: ["email"],
          message: { id: "E-mail yang sama ada di baris lain", en: "The same e-mail is on another row" },
        },
      ],
    },
  ],
};
