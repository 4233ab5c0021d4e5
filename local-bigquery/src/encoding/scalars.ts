/**
 * One scalar from JSON input (insertAll rows, query parameters) to its canonical
 * text (model.ts Value), or the reason it is not a valid value of the type.
 * Accepts what BigQuery accepts: numbers or strings for numeric types, ISO or
 * "YYYY-MM-DD HH:MM:SS UTC" text or epoch seconds for TIMESTAMP, objects for JSON.
 */
import type { FieldType } from "../model";
import { intervalText, parseIntervalText } from "../engine/interval_value";
import { canonicalJson, isCanonicalJsonText } from "./canonical_json";
import { epochDays, isoUtcToMicrosText, parseTimestampText, secondsToMicros } from "./timestamp";

export type ScalarResult = { ok: true; value: string } | { ok: false; message: string };

const ok = (value: string): ScalarResult => ({ ok: true, value });
const fail = (message: string): ScalarResult => ({ ok: false, message });

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// Largest values as integers of 9 and 38 fraction digits; BIGNUMERIC's minimum is -(max + 1 ulp).
const NUMERIC_MAX = 10n ** 38n - 1n;
const BIGNUMERIC_MAX = 2n ** 255n - 1n;


const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

export function normalizeScalar(type: FieldType, input: unknown): ScalarResult {
  switch (type) {
    case "STRING":
      if (typeof input === "string") return ok(input);
      // BigQuery's streaming API takes a JSON number for a STRING column, but refuses a JSON boolean.
      if (typeof input === "number") return ok(String(input));
      // BigQuery's own wording, which the client's system test checks.
      if (typeof input === "boolean") return fail("Conversion from bool to std::string is unsupported.");
      return fail(`Cannot convert value to string: ${show(input)}`);
    case "INTEGER":
      return integer(input);
    case "FLOAT":
      return float(input);
    case "NUMERIC":
      return decimal(input, NUMERIC_MAX, 9, "NUMERIC");
    case "BIGNUMERIC":
      return decimal(input, BIGNUMERIC_MAX, 38, "BIGNUMERIC");
    case "BOOLEAN":
      if (typeof input === "boolean") return ok(String(input));
      if (typeof input === "string" && /^(true|false)$/i.test(input.trim())) return ok(input.trim().toLowerCase());
      if (input === 1 || input === 0 || input === "1" || input === "0") return ok(String(Number(input) === 1));
      return fail(`Cannot convert value to boolean: ${show(input)}`);
    case "BYTES":
      if (typeof input === "string" && /^[A-Za-z0-9+/_-]*={0,2}$/.test(input.replace(/\s/g, ""))) {
        return ok(Buffer.from(input, "base64").toString("base64"));
      }
      return fail(`Could not decode base64 bytes: ${show(input)}`);
    case "DATE":
      return date(input);
    case "DATETIME":
      return datetime(input);
    case "TIME":
      return time(input);
    case "TIMESTAMP":
      return timestamp(input);
    case "JSON":
      return json(input);
    case "GEOGRAPHY":
      return typeof input === "string" ? ok(input) : fail(`Cannot convert value to ${type.toLowerCase()}: ${show(input)}`);
    case "INTERVAL": {
      // The canonical text "Y-M D H:M:S[.F]", kept in ZetaSQL's normal form.
      const interval = typeof input === "string" ? parseIntervalText(input) : undefined;
      return interval ? ok(intervalText(interval)) : fail(`Cannot convert value to interval: ${show(input)}`);
    }
    case "RANGE":
      // encoding/range_input.ts, which knows the element type.
      return fail("A RANGE value needs its element type");
    case "RECORD":
      return fail("A record is not a scalar");
  }
}

function integer(input: unknown): ScalarResult {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isInteger(input)) return fail(`Cannot convert value to integer (bad value): ${input}`);
    if (!Number.isSafeInteger(input)) return fail(`Integer ${input} is beyond 2^53: send it as a string to keep its precision`);
    text = String(input);
  } else if (typeof input === "string" && /^\s*[+-]?\d+\s*$/.test(input)) {
    text = input.trim();
  } else {
    return fail(`Cannot convert value to integer (bad value): ${show(input)}`);
  }
  const n = BigInt(text);
  if (n < INT64_MIN || n > INT64_MAX) return fail(`Value out of range for INT64: ${text}`);
  return ok(n.toString());
}

function float(input: unknown): ScalarResult {
  if (typeof input === "number") return ok(formatFloat(input));
  if (typeof input === "string") {
    const t = input.trim();
    if (/^[+-]?(inf|infinity)$/i.test(t)) return ok(t.startsWith("-") ? "-Infinity" : "Infinity");
    if (/^nan$/i.test(t)) return ok("NaN");
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return ok(formatFloat(Number(t)));
  }
  return fail(`Cannot convert value to floating point (bad value): ${show(input)}`);
}

export const formatFloat = (n: number): string => (Number.isNaN(n) ? "NaN" : String(n));

/** Exact decimal text to canonical form (no exponent, no trailing zeros), rounding half away from zero to `scale`. */
function decimal(input: unknown, max: bigint, scale: number, name: string): ScalarResult {
  const text = typeof input === "number" && Number.isFinite(input) ? String(input) : typeof input === "string" ? input.trim() : "";
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return fail(`Invalid ${name} value: ${show(input)}`);
  const [, sign, whole, frac = "", exp = "0"] = m;
  if (Math.abs(Number(exp)) > 100) return fail(`Invalid ${name} value: ${show(input)}`);
  // Split the digits at the decimal point moved by the exponent, then scale to an integer of `scale` fraction digits.
  const all = whole + frac;
  const point = whole.length + Number(exp);
  const intPart = point <= 0 ? "0" : all.slice(0, point).padEnd(point, "0");
  const fracPart = point <= 0 ? "0".repeat(-point) + all : all.slice(point);
  let scaled = BigInt((intPart || "0") + fracPart.padEnd(scale, "0").slice(0, scale));
  if (fracPart.length > scale && Number(fracPart[scale]) >= 5) scaled += 1n;
  const digits = scaled.toString().padStart(scale + 1, "0");
  const i = digits.slice(0, digits.length - scale);
  const f = digits.slice(digits.length - scale).replace(/0+$/, "");
  if (scaled > (sign === "-" && name === "BIGNUMERIC" ? max + 1n : max)) return fail(`Invalid ${name} value: ${show(input)} is out of range`);
  const out = f ? `${i}.${f}` : i;
  return ok(sign === "-" && scaled !== 0n ? `-${out}` : out);
}

function date(input: unknown): ScalarResult {
  const m = typeof input === "string" ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(input) : null;
  if (!m || epochDays(Number(m[1]), Number(m[2]), Number(m[3])) === undefined) return fail(`Invalid date: '${show(input)}'`);
  return ok(`${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`);
}

function timeOfDay(h: string, mi: string, s = "0", frac = ""): string | undefined {
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || frac.length > 6) return undefined;
  const base = `${h.padStart(2, "0")}:${mi}:${s.padStart(2, "0")}`;
  return /^0*$/.test(frac) ? base : `${base}.${frac.padEnd(6, "0")}`;
}

function datetime(input: unknown): ScalarResult {
  const m =
    typeof input === "string"
      ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,6}))?)?)?\s*$/.exec(input)
      : null;
  const d = m ? date(`${m[1]}-${m[2]}-${m[3]}`) : undefined;
  const t = m ? timeOfDay(m[4] ?? "0", m[5] ?? "00", m[6], m[7]) : undefined;
  if (!d?.ok || !t) return fail(`Invalid datetime string "${show(input)}"`);
  return ok(`${d.value}T${t}`);
}

function time(input: unknown): ScalarResult {
  const m = typeof input === "string" ? /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,6}))?)?\s*$/.exec(input) : null;
  const t = m ? timeOfDay(m[1], m[2], m[3], m[4]) : undefined;
  return t ? ok(t) : fail(`Invalid time string "${show(input)}"`);
}

function timestamp(input: unknown): ScalarResult {
  const micros =
    typeof input === "number" ? secondsToMicros(input)
    : typeof input === "string" ? (isoUtcToMicrosText(input) ?? parseTimestampText(input))
    : undefined;
  if (micros === undefined) {
    return fail(
      `Could not parse '${show(input)}' as a timestamp. Required format is YYYY-MM-DD HH:MM[:SS[.SSSSSS]] or YYYY/MM/DD HH:MM[:SS[.SSSSSS]]`,
    );
  }
  return ok(micros.toString());
}

/** JSON columns take JSON text or any JSON value (the client sends objects as nested JSON). */
function json(input: unknown): ScalarResult {
  if (typeof input === "string") {
    if (isCanonicalJsonText(input)) return ok(input);
    try {
      return ok(canonicalJson(JSON.parse(input)));
    } catch {
      return fail(`Invalid JSON: ${input.length > 80 ? `${input.slice(0, 80)}...` : input}`);
    }
  }
  return ok(canonicalJson(input));
}
