/**
 * NUMERIC and BIGNUMERIC as ZetaSQL serialises them: the value times 10^scale
 * (9 for NUMERIC, 38 for BIGNUMERIC) as a minimal little-endian two's-complement integer.
 */
import { invalid } from "../errors";

export const NUMERIC_SCALE = 9;
export const BIGNUMERIC_SCALE = 38;

/** Decimal text ("-12.50", "1e3") to bytes; rounds half away from zero beyond the scale. */
export function encodeDecimal(text: string, scale: number): Buffer {
  return toTwosComplement(unscaledDecimal(text, scale));
}

/** Decimal text to its value times 10^scale; rounds half away from zero beyond the scale. */
export function unscaledDecimal(text: string, scale: number): bigint {
  const match = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw invalid(`Invalid decimal value: ${text}`);
  const negative = match[1] === "-";
  let digits = (match[2] ?? "") + (match[3] ?? "");
  let exponent = scale - (match[3] ?? "").length + Number(match[4] ?? 0);
  let roundUp = false;
  if (exponent < 0) {
    const keep = digits.length + exponent;
    roundUp = keep >= 0 && keep < digits.length && digits[keep] >= "5";
    digits = keep > 0 ? digits.slice(0, keep) : "0";
    exponent = 0;
  }
  const magnitude = BigInt(digits || "0") * 10n ** BigInt(exponent) + (roundUp ? 1n : 0n);
  return negative ? -magnitude : magnitude;
}

/** Bytes to decimal text without trailing fractional zeros ("12.5", "-3", "0"). */
export function decodeDecimal(bytes: Buffer, scale: number): string {
  return decimalText(fromTwosComplement(bytes), scale);
}

/** An unscaled integer and its scale to decimal text, as decodeDecimal words it. */
export function decimalText(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

function toTwosComplement(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.push(byte);
    rest >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBit) || (rest === -1n && signBit)) break;
  }
  return Buffer.from(bytes);
}

function fromTwosComplement(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  const width = BigInt(bytes.length * 8);
  return (bytes[bytes.length - 1] & 0x80) !== 0 ? value - (1n << width) : value;
}
