/**
 * TIMESTAMP text and numbers to canonical epoch microseconds, and back to the
 * float-seconds form BigQuery sends when int64 timestamps were not asked for.
 */

const MIN_MICROS = -62135596800000000n; // 0001-01-01 00:00:00 UTC
const MAX_MICROS = 253402300799999999n; // 9999-12-31 23:59:59.999999 UTC

// Date, then optional time (T or space), fraction up to 12 digits, then an optional zone.
const TIMESTAMP_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,12}))?)?)?\s*(Z|z|UTC|[+-]\d{1,2}(?::?\d{2})?)?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date, or undefined when the date does not exist. */
export function epochDays(year: number, month: number, day: number): number | undefined {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // Date.UTC maps years 0-99 to 1900+, so set the full year explicitly.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / 86_400_000);
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]);

/** Parses BigQuery's accepted TIMESTAMP text (ISO 8601, "2025-01-01 10:00:00 UTC", offsets) to epoch micros. */
export function parseTimestampText(text: string): bigint | undefined {
  const m = TIMESTAMP_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = m;
  const days = epochDays(Number(y), Number(mo), Number(d));
  if (days === undefined || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  // Digits beyond microseconds are truncated, as BigQuery does.
  const micros = BigInt((frac + "000000").slice(0, 6));
  let offsetMinutes = 0;
  if (zone && zone !== "Z" && zone !== "z" && zone !== "UTC") {
    const zm = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
    if (!zm) return undefined;
    offsetMinutes = (zm[1] === "-" ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3] ?? "0"));
  }
  const seconds = BigInt(days) * 86400n + BigInt(Number(h) * 3600 + Number(mi) * 60 + Number(s) - offsetMinutes * 60);
  const total = seconds * 1_000_000n + micros;
  return total < MIN_MICROS || total > MAX_MICROS ? undefined : total;
}

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const twoDigits = (s: string, at: number): number => (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;

/**
 * The common form "YYYY-MM-DDTHH:MM:SS[.f{1,12}]Z" from 1970 on (what clients and toISOString send)
 * straight to epoch micros text, without a regex or BigInt. Undefined means "not this form":
 * the caller falls back to parseTimestampText, which accepts everything this does with the same result.
 */
export function isoUtcToMicrosText(s: string): string | undefined {
  const n = s.length;
  // 20: no fraction; 22..33: one to twelve fraction digits ("SS.Z", 21, is left to the general parser).
  if (n < 20 || n === 21 || n > 33 || s.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return undefined;
  }
  for (const i of DIGIT_POSITIONS) if (!isDigit(s.charCodeAt(i))) return undefined;
  let fraction = "000000";
  if (n > 20) {
    if (s.charCodeAt(19) !== 46) return undefined;
    for (let i = 20; i < n - 1; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
    // Digits beyond microseconds are truncated, as BigQuery does.
    fraction = n - 21 >= 6 ? s.slice(20, 26) : s.slice(20, n - 1) + "000000".slice(n - 21);
  }
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || h > 23 || mi > 59 || sec > 59) {
    return undefined;
  }
  // Whole seconds stay far below 2^53; from 1970 on they are >= 0, so micros are the seconds' digits then six more.
  const seconds = Date.UTC(year, month - 1, day) / 1000 + h * 3600 + mi * 60 + sec;
  return seconds === 0 ? undefined : `${seconds}${fraction}`;
}

/** Epoch seconds (a JSON number, as insertAll accepts) to epoch micros. */
export function secondsToMicros(seconds: number): bigint | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  // Round through a decimal string so 1.000001 gives 1000001 micros, not 1000000.999...
  const micros = BigInt(Math.round(Number((seconds * 1e6).toPrecision(17))));
  return micros < MIN_MICROS || micros > MAX_MICROS ? undefined : micros;
}

/**
 * Epoch micros to BigQuery's legacy float-seconds text, as Java prints a double:
 * "1.7356896E9", "1.735689600123456E9", "0.0", "12.5".
 */
export function microsToFloatSeconds(micros: string): string {
  const seconds = Number(micros) / 1e6;
  if (seconds === 0) return "0.0";
  const abs = Math.abs(seconds);
  if (abs >= 1e-3 && abs < 1e7) {
    const plain = String(seconds);
    return plain.includes(".") ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = seconds.toExponential().split("e");
  const m = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** Epoch micros to ISO text with microseconds ("2025-01-01T00:00:00.000001Z"). */
export function microsToIso(micros: bigint): string {
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const date = new Date(ms);
  const sub = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const year = date.getUTCFullYear();
  const iso = date.toISOString().replace(/\.\d{3}Z$/, "");
  const withYear = year < 1000 ? iso.replace(/^[+-]?\d+/, String(year).padStart(4, "0")) : iso;
  return `${withYear}.${sub.toString().padStart(6, "0")}Z`;
}
