/**
 * TO_BASE32 and FROM_BASE32 (RFC 4648 alphabet A-Z2-7, '=' padding), which DuckDB lacks and the
 * reference evaluator does not implement; their tests are written from BigQuery's documentation
 * (TO_BASE32(b'abcde\xFF') = 'MFRGGZDF74======'). FROM_BASE32 takes upper or lower case and
 * optional padding, and fails on any other character.
 */
import { type Form, kind } from "./call";
import { refuse } from "./unsupported";

export const BASE32_FUNCTIONS: Record<string, Form> = {
  to_base32: ({ args, types }) => (kind(types[0]) === "TYPE_BYTES" ? `gsql_to_base32(${args[0]})` : refuse("TO_BASE32 of these types")),
  from_base32: ({ args, types }) => (kind(types[0]) === "TYPE_STRING" ? `gsql_from_base32(${args[0]})` : refuse("FROM_BASE32 of these types")),
};

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function toBase32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out + "=".repeat((8 - (out.length % 8)) % 8);
}

export function fromBase32(text: string): Buffer {
  const body = text.replace(/=+$/, "").toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of body) {
    const digit = ALPHABET.indexOf(c);
    if (digit < 0) throw new Error(`Failed to decode invalid base32 string: ${text}`);
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}
