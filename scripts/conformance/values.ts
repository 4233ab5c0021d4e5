/**
 * The client's values in the corpus's canonical form, so a recorded cell and ours compare as equals:
 *   INT64 "-12"; NUMERIC/BIGNUMERIC plain decimal without trailing zeros ("10.5", "0"); FLOAT64 a number, or
 *   "NaN" / "Infinity" / "-Infinity"; BOOL boolean; STRING, JSON, GEOGRAPHY text; BYTES base64;
 *   DATE "YYYY-MM-DD"; DATETIME "YYYY-MM-DDTHH:MM:SS[.ffffff]"; TIME "HH:MM:SS[.ffffff]";
 *   TIMESTAMP "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (UTC); fractions without trailing zeros;
 *   INTERVAL "y,mo,d,h,mi,s,us" as the recorder's Python client normalised it (python-dateutil's relativedelta);
 *   RANGE "[start, end)" with UNBOUNDED for an open end; ARRAY a list (NULL is []); STRUCT its fields' values in schema order.
 */
import type { Cell, SchemaField } from "./fixtures";

const ALIASES: Record<string, string> = {
  INTEGER: "INT64",
  FLOAT: "FLOAT64",
  BOOLEAN: "BOOL",
  RECORD: "STRUCT",
  DECIMAL: "NUMERIC",
  BIGDECIMAL: "BIGNUMERIC",
};

/** The type with legacy names (INTEGER, RECORD, ...) mapped to GoogleSQL's, so either spelling compares equal. */
export const typeOf = (field: SchemaField): string => {
  const t = field.type.toUpperCase();
  return ALIASES[t] ?? t;
};
export const isRepeated = (field: SchemaField): boolean => (field.mode ?? "").toUpperCase() === "REPEATED";
export const elementOf = (field: SchemaField): SchemaField => ({ ...field, mode: "NULLABLE" });

/** "10.00", "1E+2", "-.5", "0E-9" -> "10", "100", "-0.5", "0"; anything else unchanged. */
export const normDecimal = (text: string): string => {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return text;
  let digits = m[2] + (m[3] ?? "");
  let point = m[2].length + (m[4] ? Number(m[4]) : 0);
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, "") || "0";
  const fraction = digits.slice(point).replace(/0+$/, "");
  const out = fraction ? `${whole}.${fraction}` : whole;
  return out === "0" || m[1] !== "-" ? out : `-${out}`;
};

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
/** Up to 6 fractional digits (BigQuery's microseconds), trailing zeros dropped, with the point or empty. */
const fraction = (digits: string | undefined): string => {
  const f = (digits ?? "").padEnd(6, "0").slice(0, 6).replace(/0+$/, "");
  return f ? `.${f}` : "";
};

export const normDate = (text: string): string => {
  const m = /^(-?\d+)-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  return m ? `${pad(Number(m[1]), 4)}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : text;
};

export const normDatetime = (text: string): string => {
  const m = /^(-?\d+)-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(text.trim());
  if (!m) return text;
  const [, y, mo, d, h, mi, s, f] = m;
  return `${pad(Number(y), 4)}-${pad(Number(mo))}-${pad(Number(d))}T${pad(Number(h ?? 0))}:${pad(Number(mi ?? 0))}:${pad(Number(s ?? 0))}${fraction(f)}`;
};

export const normTime = (text: string): string => {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(text.trim());
  return m ? `${pad(Number(m[1]))}:${pad(Number(m[2]))}:${pad(Number(m[3] ?? 0))}${fraction(m[4])}` : text;
};

/** ISO text in UTC (Z, UTC or +00:00) or with an offset -> "YYYY-MM-DDTHH:MM:SS[.ffffff]Z". */
export const normTimestamp = (text: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text.trim());
  if (!m) return text;
  const [, y, mo, d, h, mi, s, f, zone] = m;
  let offsetMinutes = 0;
  const om = zone ? /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) : null;
  if (om) offsetMinutes = (om[1] === "-" ? -1 : 1) * (Number(om[2]) * 60 + Number(om[3] ?? 0));
  if (offsetMinutes === 0) return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction(f)}Z`;
  // setUTCFullYear, unlike Date.UTC, leaves years 0-99 alone.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi) - offsetMinutes, Number(s), 0);
  const iso = date.toISOString().slice(0, 19);
  return `${iso}${fraction(f)}Z`;
};

/**
 * BigQuery's INTERVAL text "Y-M D H:M:S[.F]" -> "y,mo,d,h,mi,s,us" as the recorder saw it: the Python client
 * parses it into a relativedelta, whose constructor carries microseconds into seconds, seconds into minutes,
 * minutes into hours, hours into days and months into years (never days into months), keeping each sign.
 */
export const normInterval = (text: string): string => {
  const m = /^(-?)(\d+)-(\d+) (-?\d+) (-?)(\d+):(\d+):(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return text;
  const calendarSign = m[1] === "-" ? -1 : 1;
  const timeSign = m[5] === "-" ? -1 : 1;
  const v = {
    years: calendarSign * Number(m[2]),
    months: calendarSign * Number(m[3]),
    days: Number(m[4]),
    hours: timeSign * Number(m[6]),
    minutes: timeSign * Number(m[7]),
    seconds: timeSign * Number(m[8]),
    micros: m[9] ? timeSign * Number(m[9].padEnd(6, "0").slice(0, 6)) : 0,
  };
  type Unit = keyof typeof v;
  const carry = (from: Unit, to: Unit, base: number): void => {
    if (Math.abs(v[from]) < base) return;
    const sign = v[from] < 0 ? -1 : 1;
    const magnitude = Math.abs(v[from]);
    v[from] = (magnitude % base) * sign;
    v[to] += Math.floor(magnitude / base) * sign;
  };
  carry("micros", "seconds", 1_000_000);
  carry("seconds", "minutes", 60);
  carry("minutes", "hours", 60);
  carry("hours", "days", 24);
  carry("months", "years", 12);
  // 0 rather than -0, so the text never says "-0".
  return [v.years, v.months, v.days, v.hours, v.minutes, v.seconds, v.micros].map((n) => n + 0).join(",");
};

const rangeElement = (value: unknown, elementType: string | undefined): string => {
  if (value === null || value === undefined) return "UNBOUNDED";
  const text = String(wrapped(value) ?? value);
  if (/^(UNBOUNDED|NULL)$/i.test(text)) return "UNBOUNDED";
  switch ((elementType ?? "").toUpperCase()) {
    case "DATE":
      return normDate(text);
    case "DATETIME":
      return normDatetime(text);
    case "TIMESTAMP":
      return normTimestamp(text);
    default:
      // No element type in the schema: the text's shape tells.
      if (/^-?\d+-\d+-\d+$/.test(text)) return normDate(text);
      return /(Z|UTC|[+-]\d{2}(:?\d{2})?)$/i.test(text) ? normTimestamp(text) : normDatetime(text);
  }
};

/** "[a, b)" text or the client's BigQueryRange ({start, end} of wrapped values). */
const normRange = (value: unknown, field: SchemaField): string => {
  const elementType = field.rangeElementType?.type;
  if (typeof value === "string") {
    const m = /^\[\s*(.*?)\s*,\s*(.*?)\s*\)$/.exec(value.trim());
    return m ? `[${rangeElement(m[1], elementType)}, ${rangeElement(m[2], elementType)})` : value;
  }
  if (value && typeof value === "object" && "start" in value && "end" in value) {
    return `[${rangeElement(value.start, elementType)}, ${rangeElement(value.end, elementType)})`;
  }
  return String(value);
};

/** big.js's Big (NUMERIC, BIGNUMERIC), recognised by shape: the client does not export its class. */
const isBig = (v: object): v is { toFixed(): string } =>
  "c" in v && "e" in v && "s" in v && typeof (v as { toFixed?: unknown }).toFixed === "function";

/** The text inside the client's wrappers (BigQueryInt, BigQueryDate/Datetime/Time/Timestamp, Geography), if it is one. */
const wrapped = (v: unknown): string | undefined => {
  if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
    if (isBig(v)) return v.toFixed();
    if ("value" in v && typeof v.value === "string") return v.value;
  }
  return undefined;
};

const scalar = (value: unknown, field: SchemaField): Cell => {
  const type = typeOf(field);
  if (type === "RANGE") return normRange(value, field);
  if (type === "BYTES") {
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString("base64");
    return String(value);
  }
  if (type === "BOOL") return typeof value === "string" ? value.toLowerCase() === "true" : Boolean(value);
  if (type === "FLOAT64") {
    const n = typeof value === "number" ? value : Number(wrapped(value) ?? value);
    if (Number.isNaN(n)) return "NaN";
    if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
    return n + 0; // -0 -> 0
  }
  const text = wrapped(value) ?? (typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value));
  switch (type) {
    case "INT64":
      return /^[+-]?\d+$/.test(text.trim()) ? BigInt(text.trim()).toString() : text;
    case "NUMERIC":
    case "BIGNUMERIC":
      return normDecimal(text);
    case "DATE":
      return normDate(text);
    case "DATETIME":
      return normDatetime(text);
    case "TIME":
      return normTime(text);
    case "TIMESTAMP":
      return normTimestamp(text);
    case "INTERVAL":
      return normInterval(text);
    default:
      return text;
  }
};

/** One value of a row from @google-cloud/bigquery (wrapIntegers: true, JSON left as text) in canonical form. */
export const canonicalClientValue = (value: unknown, field: SchemaField): Cell => {
  if (isRepeated(field)) {
    if (value === null || value === undefined) return [];
    const element = elementOf(field);
    return (Array.isArray(value) ? value : [value]).map((v) => canonicalClientValue(v, element));
  }
  if (value === null || value === undefined) return null;
  if (typeOf(field) === "STRUCT") {
    const record = value as Record<string, unknown>;
    return (field.fields ?? []).map((f) => canonicalClientValue(record[f.name], f));
  }
  return scalar(value, field);
};

/** A client row (an object keyed by column name) as a list of canonical cells in schema order. */
export const canonicalClientRow = (row: Record<string, unknown>, schema: SchemaField[]): Cell[] =>
  schema.map((f) => canonicalClientValue(row[f.name], f));
