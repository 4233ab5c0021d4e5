/**
 * RFC 3339 timestamps in and out. Kept apart from the schema because BigQuery
 * holds microseconds, which JavaScript's Date (milliseconds) would silently drop.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

// The usual case, already UTC: the fields stand as written, only the fraction is padded to six digits.
const UTC_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/**
 * The UTC form BigQuery stores, with exactly six fraction digits, so that equal
 * instants written differently (`+00:00`, `Z`, `.000`) give the same string.
 * @param value - an RFC 3339 timestamp with a zone, already checked by the schema
 * @returns `YYYY-MM-DDTHH:MM:SS.ffffffZ`, or undefined when it cannot be stored
 *   (more than microsecond precision, or outside BigQuery's years 0001-9999)
 */
export const toUtcMicros = (value: string): string | undefined => {
  if (UTC_FORM.test(value)) {
    const frac = value.length === 20 ? "" : value.slice(20, -1);
    // Digits past microseconds are accepted only when they are zeros: never round silently.
    if (value.startsWith("0000") || /[1-9]/.test(frac.slice(6))) return undefined;
    // Already canonical: the same string back, nothing built.
    return frac.length === 6 ? value : `${value.slice(0, 19)}.${frac.slice(0, 6).padEnd(6, "0")}Z`;
  }
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = "", zone] = m;
  // Digits past microseconds are accepted only when they are zeros: never round silently.
  if (/[1-9]/.test(frac.slice(6))) return undefined;
  const micros = `.${frac.slice(0, 6).padEnd(6, "0")}Z`;
  // UTC written as Z or a zero offset: the fields stand as written, no date arithmetic needed.
  if (zone === "Z" || zone === "+00:00" || zone === "-00:00") return y === "0000" ? undefined : `${y}-${mo}-${d}T${h}:${mi}:${s}${micros}`;
  const offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi) - offsetMinutes, Number(s), 0);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  return (
    `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    micros
  );
};

/**
 * A TIMESTAMP cell as an RFC 3339 UTC string without trailing zero fraction
 * digits: `2025-08-08T10:00:00Z`, `2025-08-08T10:00:00.000001Z`.
 * @param cell - what the client returns (BigQueryTimestamp, Date, string or null)
 */
export const formatTimestamp = (cell: unknown): string | null => {
  if (cell === null || cell === undefined) return null;
  const text =
    typeof cell === "string" ? cell
    : cell instanceof Date ? cell.toISOString()
    : typeof (cell as { value?: unknown }).value === "string" ? (cell as { value: string }).value
    : String(cell);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(text);
  if (!m) return new Date(text).toISOString();
  const frac = (m[2] ?? "").slice(0, 6).replace(/0+$/, "");
  return frac ? `${m[1]}.${frac}Z` : `${m[1]}Z`;
};
