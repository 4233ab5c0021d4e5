/**
 * The text a JSON column stores: compact, and every object's keys in byte order, as
 * BigQuery keeps a JSON value (it returns PARSE_JSON('{"b":1,"a":2}') as {"a":2,"b":1}).
 * isCanonicalJsonText lets a text already in that form be kept as sent instead of being
 * parsed and re-serialised. It is conservative: false only means "canonicalise it the
 * long way", so anything unusual (whitespace, escapes, lone surrogates, numbers not in
 * shortest form, keys out of order or repeated, deep nesting) answers false.
 */

const MAX_DEPTH = 64;

/** A JSON value (as JSON.parse gives it) in canonical text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort(byCodePoint);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** UTF-8 byte order, which is code point order: UTF-16 unit order but for surrogates, which come after U+E000-U+FFFF. */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(k);
    const y = b.charCodeAt(k);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
  }
  return a.length - b.length;
}

const codePointRank = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNumberChar = (c: number): boolean => isDigit(c) || c === 45 /* - */ || c === 43 /* + */ || c === 46 /* . */ || c === 101 /* e */ || c === 69; /* E */

export function isCanonicalJsonText(text: string): boolean {
  return scanValue(text, 0, 0) === text.length;
}

/** The index just after the value starting at `i`, or -1 when it is not canonical JSON. */
function scanValue(s: string, i: number, depth: number): number {
  const c = s.charCodeAt(i);
  if (c === 34 /* " */) return scanString(s, i);
  if (c === 123 /* { */) return depth < MAX_DEPTH ? scanObject(s, i, depth + 1) : -1;
  if (c === 91 /* [ */) return depth < MAX_DEPTH ? scanArray(s, i, depth + 1) : -1;
  if (c === 116 /* t */) return s.startsWith("true", i) ? i + 4 : -1;
  if (c === 102 /* f */) return s.startsWith("false", i) ? i + 5 : -1;
  if (c === 110 /* n */) return s.startsWith("null", i) ? i + 4 : -1;
  if (c === 45 || isDigit(c)) {
    let j = i + 1;
    while (j < s.length && isNumberChar(s.charCodeAt(j))) j++;
    const token = s.slice(i, j);
    // JSON.stringify prints a number as String(number) does; equal text means the token is both valid and shortest.
    return String(Number(token)) === token ? j : -1;
  }
  return -1;
}

/** A string without escapes or control characters, whose surrogates all come in pairs (JSON.stringify escapes lone ones). */
function scanString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92 /* \ */ || c < 32) return -1;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(j + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
      j++;
    }
  }
  return -1;
}

function scanObject(s: string, i: number, depth: number): number {
  let j = i + 1;
  if (s.charCodeAt(j) === 125 /* } */) return j + 1;
  let previous: string | undefined;
  for (;;) {
    if (s.charCodeAt(j) !== 34) return -1;
    const keyEnd = scanString(s, j);
    if (keyEnd < 0) return -1;
    const key = s.slice(j + 1, keyEnd - 1);
    // Strictly increasing: in order, and no key twice (the parse keeps one of them).
    if (previous !== undefined && byCodePoint(previous, key) >= 0) return -1;
    previous = key;
    if (s.charCodeAt(keyEnd) !== 58 /* : */) return -1;
    j = scanValue(s, keyEnd + 1, depth);
    if (j < 0) return -1;
    const c = s.charCodeAt(j);
    if (c === 125) return j + 1;
    if (c !== 44 /* , */) return -1;
    j++;
  }
}

function scanArray(s: string, i: number, depth: number): number {
  let j = i + 1;
  if (s.charCodeAt(j) === 93 /* ] */) return j + 1;
  for (;;) {
    j = scanValue(s, j, depth);
    if (j < 0) return -1;
    const c = s.charCodeAt(j);
    if (c === 93) return j + 1;
    if (c !== 44) return -1;
    j++;
  }
}
