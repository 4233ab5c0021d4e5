/**
 * INTERVAL values: months, days and nanoseconds, as ZetaSQL (and BigQuery) hold them. The canonical
 * cell is ZetaSQL's IntervalValue::ToString, which is also BigQuery's REST text: "Y-M D H:M:S[.F]"
 * with a sign on the year-month part, the days and the time part each, and the fraction in groups
 * of three digits ("0-0 5 0:0:0", "-1-2 -3 -4:5:6.500"). ZetaSQL's wire form (ValueProto
 * interval_value) is 16 bytes, little-endian: micros (int64), days (int32), then a uint32 holding
 * the months' magnitude in bits 13-30, their sign in bit 31 and the nanoseconds beyond the
 * microsecond (0-999) in bits 0-9.
 */
import { invalid } from "../errors";

export interface Interval {
  months: number;
  days: number;
  /** The time part in nanoseconds (BigQuery's precision is the microsecond; ZetaSQL's the nanosecond). */
  nanos: bigint;
}

const NANOS_PER_MICRO = 1000n;
const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_MINUTE = 60n * NANOS_PER_SECOND;
const NANOS_PER_HOUR = 60n * NANOS_PER_MINUTE;
// ZetaSQL's limits: 10,000 years of months, of days (366 a year) and of time.
export const MAX_MONTHS = 120_000;
export const MAX_DAYS = 3_660_000;
export const MAX_MICROS = 86_400_000_000n * BigInt(MAX_DAYS);

export function validInterval(v: Interval): boolean {
  return Math.abs(v.months) <= MAX_MONTHS && Math.abs(v.days) <= MAX_DAYS && (v.nanos < 0n ? -v.nanos : v.nanos) <= MAX_MICROS * NANOS_PER_MICRO;
}

/** ZetaSQL's IntervalValue::ToString. */
export function intervalText(v: Interval): string {
  const months = Math.abs(v.months);
  const negative = v.nanos < 0n;
  let n = negative ? -v.nanos : v.nanos;
  const hours = n / NANOS_PER_HOUR;
  n -= hours * NANOS_PER_HOUR;
  const minutes = n / NANOS_PER_MINUTE;
  n -= minutes * NANOS_PER_MINUTE;
  const seconds = n / NANOS_PER_SECOND;
  n -= seconds * NANOS_PER_SECOND;
  let text = `${v.months < 0 ? "-" : ""}${Math.floor(months / 12)}-${months % 12} ${v.days} ${negative ? "-" : ""}${hours}:${minutes}:${seconds}`;
  if (n !== 0n) {
    // Groups of three digits: milliseconds, then microseconds, then nanoseconds, as far as needed.
    let fraction = n.toString().padStart(9, "0");
    while (fraction.endsWith("000")) fraction = fraction.slice(0, -3);
    text += `.${fraction}`;
  }
  return text;
}

const CANONICAL = /^(-?)(\d+)-(\d+) (-?\d+) (-?)(\d+):(\d+):(\d+)(?:\.(\d{1,9}))?$/;

/** The canonical text (any fraction length, unnormalised fields) to its parts, or undefined. */
export function parseIntervalText(text: string): Interval | undefined {
  const m = CANONICAL.exec(text.trim());
  if (!m) return undefined;
  const [, ymSign, years, months, days, timeSign, hours, minutes, seconds, fraction = ""] = m;
  const nanos =
    BigInt(hours) * NANOS_PER_HOUR + BigInt(minutes) * NANOS_PER_MINUTE + BigInt(seconds) * NANOS_PER_SECOND + BigInt(fraction.padEnd(9, "0") || "0");
  const totalMonths = Number(years) * 12 + Number(months);
  const value = { months: ymSign === "-" ? -totalMonths : totalMonths, days: Number(days), nanos: timeSign === "-" ? -nanos : nanos };
  return validInterval(value) ? value : undefined;
}

/** A canonical cell's parts; throws invalid for text that is not an interval. */
export function intervalOf(text: string): Interval {
  const value = parseIntervalText(text);
  if (!value) throw invalid(`Invalid INTERVAL value: ${text}`);
  return value;
}

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** ZetaSQL's 16-byte encoding (IntervalValue::SerializeAsBytes). */
export function intervalToBytes(v: Interval): Buffer {
  const micros = floorDiv(v.nanos, NANOS_PER_MICRO);
  const fraction = Number(v.nanos - micros * NANOS_PER_MICRO);
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64LE(micros, 0);
  bytes.writeInt32LE(v.days, 8);
  bytes.writeUInt32LE(((Math.abs(v.months) << 13) | (v.months < 0 ? 0x80000000 : 0) | fraction) >>> 0, 12);
  return bytes;
}

export function intervalFromBytes(bytes: Buffer): Interval {
  // Empty is ZetaSQL's encoding of the zero interval.
  if (bytes.length === 0) return { months: 0, days: 0, nanos: 0n };
  if (bytes.length !== 16) throw invalid(`Invalid INTERVAL encoding of ${bytes.length} bytes`);
  const packed = bytes.readUInt32LE(12);
  const magnitude = (packed & 0x7fffe000) >>> 13;
  return {
    months: packed & 0x80000000 ? -magnitude : magnitude,
    days: bytes.readInt32LE(8),
    nanos: bytes.readBigInt64LE(0) * NANOS_PER_MICRO + BigInt(packed & 0x3ff),
  };
}
