/**
 * DATE, DATETIME, TIME and TIMESTAMP between BigQuery's text forms and
 * ZetaSQL's encodings (days since epoch; bit-packed civil fields; seconds+nanos).
 */
import { invalid } from "../errors";

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** Fractional seconds text ("5", "123456") to nanoseconds; beyond nanoseconds is truncated. */
const nanosOf = (fraction: string | undefined): number => (fraction ? Number(fraction.slice(0, 9).padEnd(9, "0")) : 0);

/** ".ffffff" when there is a sub-second part, BigQuery's microsecond precision. */
function fractionText(nanos: number): string {
  const micros = Math.floor(nanos / 1000);
  return micros === 0 ? "" : `.${pad(micros, 6)}`;
}

export function dateToDays(text: string): number {
  const m = /^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) throw invalid(`Invalid DATE value: ${text}`);
  return Math.round(utcMs(Number(m[1]), Number(m[2]), Number(m[3])) / DAY_MS);
}

export function daysToDate(days: number): string {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function utcMs(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year); // Date.UTC maps years below 100 to 19xx
  return d.getTime();
}

const TIME_RE = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?$/;

export function encodeTime(text: string): string {
  const m = TIME_RE.exec(text.trim());
  if (!m) throw invalid(`Invalid TIME value: ${text}`);
  const packed =
    (BigInt(m[1]) << 42n) | (BigInt(m[2]) << 36n) | (BigInt(m[3] ?? 0) << 30n) | BigInt(nanosOf(m[4]));
  return packed.toString();
}

export function decodeTime(packed: string): string {
  const v = BigInt(packed);
  const hour = Number((v >> 42n) & 0x1fn);
  const minute = Number((v >> 36n) & 0x3fn);
  const second = Number((v >> 30n) & 0x3fn);
  const nanos = Number(v & 0x3fffffffn);
  return `${pad(hour)}:${pad(minute)}:${pad(second)}${fractionText(nanos)}`;
}

export function encodeDatetime(text: string): { bitFieldDatetimeSeconds: string; nanos: number } {
  const m = /^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?\s*$/.exec(text);
  if (!m) throw invalid(`Invalid DATETIME value: ${text}`);
  const packed =
    (BigInt(m[1]) << 26n) |
    (BigInt(m[2]) << 22n) |
    (BigInt(m[3]) << 17n) |
    (BigInt(m[4] ?? 0) << 12n) |
    (BigInt(m[5] ?? 0) << 6n) |
    BigInt(m[6] ?? 0);
  return { bitFieldDatetimeSeconds: packed.toString(), nanos: nanosOf(m[7]) };
}

export function decodeDatetime(value: { bitFieldDatetimeSeconds?: string; nanos?: number }): string {
  const v = BigInt(value.bitFieldDatetimeSeconds ?? "0");
  const year = Number(v >> 26n);
  const month = Number((v >> 22n) & 0xfn);
  const day = Number((v >> 17n) & 0x1fn);
  const hour = Number((v >> 12n) & 0x1fn);
  const minute = Number((v >> 6n) & 0x3fn);
  const second = Number(v & 0x3fn);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fractionText(value.nanos ?? 0)}`;
}

/** Epoch microseconds (canonical form) to a protobuf Timestamp. */
export function microsToTimestamp(micros: string): { seconds: string; nanos: number } {
  const v = BigInt(micros);
  let seconds = v / 1_000_000n;
  let rest = v % 1_000_000n;
  if (rest < 0n) {
    seconds -= 1n;
    rest += 1_000_000n;
  }
  return { seconds: seconds.toString(), nanos: Number(rest) * 1000 };
}

export function timestampToMicros(ts: { seconds?: string | number; nanos?: number }): string {
  return (BigInt(ts.seconds ?? 0) * 1_000_000n + BigInt(Math.floor((ts.nanos ?? 0) / 1000))).toString();
}

/**
 * A TIMESTAMP as epoch microseconds: accepts the canonical integer form and the
 * text forms BigQuery accepts ("2025-01-01 00:00:00.5 UTC", "2025-01-01T00:00:00Z", "+02:00").
 */
export function timestampTextToMicros(text: string): string {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return trimmed;
  const m =
    /^(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?$/i.exec(
      trimmed,
    );
  if (!m) throw invalid(`Invalid TIMESTAMP value: ${text}`);
  const dayMs = utcMs(Number(m[1]), Number(m[2]), Number(m[3]));
  let seconds = BigInt(dayMs / 1000) + BigInt(Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0));
  const zone = m[8]?.toUpperCase();
  if (zone && zone !== "Z" && zone !== "UTC") {
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone) as RegExpExecArray;
    const offset = Number(z[2]) * 3600 + Number(z[3] ?? 0) * 60;
    seconds -= BigInt(z[1] === "-" ? -offset : offset);
  }
  return (seconds * 1_000_000n + BigInt(Math.floor(nanosOf(m[7]) / 1000))).toString();
}

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;

/** TIME text (HH:MM[:SS[.ffffff]]) to microseconds since midnight. */
export function timeTextToMicros(text: string): bigint {
  const m = TIME_RE.exec(text.trim());
  if (!m) throw invalid(`Invalid TIME value: ${text}`);
  const seconds = BigInt(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0));
  return seconds * MICROS_PER_SECOND + BigInt(Math.floor(nanosOf(m[4]) / 1000));
}

/** DATETIME text (YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]]) to microseconds since 1970-01-01T00:00:00. */
export function datetimeTextToMicros(text: string): bigint {
  const m = /^\s*(\d{1,4}-\d{1,2}-\d{1,2})(?:[T ](.*?))?\s*$/.exec(text);
  if (!m) throw invalid(`Invalid DATETIME value: ${text}`);
  return BigInt(dateToDays(m[1])) * MICROS_PER_DAY + (m[2] ? timeTextToMicros(m[2]) : 0n);
}

/** Microseconds since midnight as TIME text: HH:MM:SS[.ffffff]. */
export function microsToTime(micros: bigint): string {
  const seconds = Number(micros / MICROS_PER_SECOND);
  const text = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return `${text}${fractionText(Number(micros % MICROS_PER_SECOND) * 1000)}`;
}

/** Microseconds since the epoch (civil, no zone) as DATETIME text: YYYY-MM-DDTHH:MM:SS[.ffffff]. */
export function microsToDatetime(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    days -= 1n;
    rest += MICROS_PER_DAY;
  }
  return `${daysToDate(Number(days))}T${microsToTime(rest)}`;
}
