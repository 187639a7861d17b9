// Monthly, per district, to its coordinators: reporting users at home in the district who
// sent no message in the 30 days up to the end of the month.
import type { ReportDefinition } from "../definition.js";
import { label, placeName, placesAt, recipientsByType } from "./sql.js";

const REPORTING_TYPES = ["village_reporter", "paravet", "district_vet", "abattoir_reporter", "inseminator"];

const silent = (joins = "") => `
  users u
  JOIN locations home ON home.id = u.home_location_id
  ${joins}
  WHERE u.active AND u.deleted_at IS NULL
    AND u.user_type IN (${REPORTING_TYPES.map((type) => `'${type}'`).join(", ")})
    AND left(home.code, 4) = {scope}
    AND u.created_at < {end}::timestamptz - interval '30 days'
    AND NOT EXISTS (
      SELECT 1 FROM inbound_messages m
      WHERE m.user_id = u.id AND m.received_at >= {end}::timestamptz - interval '30 days' AND m.received_at < {end}
    )`;

export const silentReporters: ReportDefinition = {
  code: "silent-reporters",
  title: { id: "Pelapor yang diam", en: "Silent reporters" },
  description: {
    id: "Pengguna pelapor yang tidak mengirim pesan apa pun dalam 30 hari terakhir.",
    en: "Reporting users who sent no message at all in the last 30 days.",
  },
  schedule: { cadence: "month", delayHours: 7 },
  scope: "district",
  scopes: placesAt(2),
  scopeName: placeName,
  recipients: recipientsByType(["district_coordinator"]),
  dataCount: `SELECT count(*)::int AS count FROM ${silent()}`,
  emptyNotice: {
    id: "Semua pelapor di kabupaten ini mengirim pesan dalam 30 hari terakhir.",
    en: "Every reporter in this district sent a message in the last 30 days.",
  },
  queries: {
    totals: `
      SELECT count(*)::int AS silent,
        (SELECT count(*)::int FROM users ru JOIN locations rh ON rh.id = ru.home_location_id
          WHERE ru.active AND ru.deleted_at IS NULL AND left(rh.code, 4) = {scope}
            AND ru.user_type IN (${REPORTING_TYPES.map((type) => `'${type}'`).join(", ")})) AS reporters
      FROM ${silent()}`,
    users: `
      SELECT u.name, ${label("t")} AS user_type, home.name AS village,
        (SELECT cc.address FROM contacts cc WHERE cc.user_id = u.id AND cc.channel = 'sms' AND cc.deleted_at IS NULL
          ORDER BY cc.id LIMIT 1) AS phone,
        (SELECT (max(m.received_at) AT TIME ZONE {timeZone})::date FROM inbound_messages m WHERE m.user_id = u.id) AS last_message
      FROM ${silent("JOIN user_types t ON t.code = u.user_type")}
      ORDER BY last_message NULLS FIRST, u.name`,
  },
  headlines: [
    {
      label: { id: "Pelapor diam", en: "Silent reporters" },
      query: "totals",
      column: "silent",
      format: "integer",
    },
    {
      label: { id: "Semua pelapor", en: "All reporters" },
      query: "totals",
      column: "reporters",
      format: "integer",
    },
  ],
  pages: [
    {
      sections: [
        {
          kind: "table",
          title: { id: "Pelapor tanpa pesan 30 hari", en: "Reporters without a message in 30 days" },
          query: "users",
          columns: [
            { column: "name", label: { id: "Nama", en: "Name" }, width: 2 },
            { column: "user_type", label: { id: "Jenis pengguna", en: "User type" }, width: 2 },
            { column: "village", label: { id: "Desa", en: "Village" }, width: 2 },
            { column: "phone", label: { id: "Telepon", en: "Phone" }, width: 2 },
            { column: "last_message", label: { id: "Pesan terakhir", en: "Last message" }, format: "date" },
          ],
        },
      ],
    },
  ],
  dataSheets: [],
  attach: { pdf: true, excel: false },
};
