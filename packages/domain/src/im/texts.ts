// What the IM bridge says outside the command engine (linking, photos, updates it does
// not take), in Indonesian and English. IM has no 160-character limit, so it explains.
import type { Language } from "../messages/catalog.js";

export interface ImTexts {
  howToLink(): string;
  linkButton(): string;
  linked(name: string): string;
  notOwnContact(): string;
  unknownNumber(): string;
  inactive(): string;
  unsupported(what: string): string;
  groupChat(): string;
  edited(): string;
  imageNeedsCase(): string;
  imageCaseNotFound(caseId: number): string;
  imageOutsideArea(caseId: number): string;
  imageTooLarge(limitMb: number): string;
  imageStored(caseId: number, count: number): string;
  imageFailed(): string;
}

const id: ImTexts = {
  howToLink: () =>
    'Akun chat ini belum terhubung ke iSIKHNAS. Tekan tombol "Bagikan nomor telepon" di bawah untuk menghubungkan nomor yang terdaftar.',
  linkButton: () => "Bagikan nomor telepon",
  linked: (name) =>
    `Selamat datang, ${name}. Akun chat Anda terhubung ke iSIKHNAS; kirim laporan seperti SMS, atau ? untuk daftar kode.`,
  notOwnContact: () =>
    'Hanya nomor Anda sendiri yang dapat dihubungkan. Tekan tombol "Bagikan nomor telepon".',
  unknownNumber: () => "Nomor ini belum terdaftar di iSIKHNAS. Hubungi dinas peternakan kabupaten Anda.",
  inactive: () => "Akun iSIKHNAS Anda tidak aktif. Hubungi dinas peternakan kabupaten Anda.",
  unsupported: (what) =>
    `Maaf, ${what} tidak dapat diproses. Kirim laporan sebagai teks (seperti SMS), atau foto dengan keterangan IMAGE [id kasus].`,
  groupChat: () => "iSIKHNAS hanya menerima laporan dalam chat pribadi dengan bot ini.",
  edited: () => "Pesan yang diubah tidak diproses. Kirim laporan yang benar sebagai pesan baru.",
  imageNeedsCase: () => "Foto diterima tanpa id kasus. Kirim ulang dengan keterangan IMAGE [id kasus].",
  imageCaseNotFound: (caseId) => `Kasus ${caseId} tidak ditemukan. Foto tidak disimpan.`,
  imageOutsideArea: (caseId) => `Kasus ${caseId} di luar wilayah Anda. Foto tidak disimpan.`,
  imageTooLarge: (limitMb) => `Berkas terlalu besar (maksimum ${limitMb} MB). Kirim foto yang lebih kecil.`,
  imageStored: (caseId, count) => `[Case ID ${caseId}]. ${count} foto disimpan. Terima kasih.`,
  imageFailed: () => "Foto tidak dapat diunduh. Coba kirim lagi.",
};

const en: ImTexts = {
  howToLink: () =>
    'This chat account is not linked to iSIKHNAS yet. Press the "Share phone number" button below to link your registered number.',
  linkButton: () => "Share phone number",
  linked: (name) =>
    `Welcome, ${name}. Your chat account is linked to iSIKHNAS; send reports as you would by SMS, or ? for the codes.`,
  notOwnContact: () => 'Only your own number can be linked. Press the "Share phone number" button.',
  unknownNumber: () =>
    "This number is not registered in iSIKHNAS. Please contact your district livestock office.",
  inactive: () => "Your iSIKHNAS account is inactive. Please contact your district livestock office.",
  unsupported: (what) =>
    `Sorry, ${what} cannot be processed. Send reports as text (as by SMS), or a photo with the caption IMAGE [case id].`,
  groupChat: () => "iSIKHNAS takes reports only in a private chat with this bot.",
  edited: () => "Edited messages are not processed. Send the corrected report as a new message.",
  imageNeedsCase: () => "Photo received without a case id. Send it again with the caption IMAGE [case id].",
  imageCaseNotFound: (caseId) => `Case ${caseId} not found. The photo was not stored.`,
  imageOutsideArea: (caseId) => `Case ${caseId} is outside your areas. The photo was not stored.`,
  imageTooLarge: (limitMb) => `The file is too large (at most ${limitMb} MB). Please send a smaller photo.`,
  imageStored: (caseId, count) => `[Case ID ${caseId}]. ${count} photo(s) stored. Thank you.`,
  imageFailed: () => "The photo could not be downloaded. Please send it again.",
};

export const imTexts: Record<Language, ImTexts> = { id, en };
