/**
 * String and BYTES functions. Errors follow ZetaSQL: the macros test every argument for NULL first
 * (gsql_nulls evaluates them all), then GoogleSQL's argument checks, then DuckDB's function.
 */
import { type Call, type Form, STRINGS, kind, onlyTypes, stringLiteral } from "./call";
import { quoteString } from "./types";
import { refuse } from "./unsupported";

/** Unicode White_Space, which ZetaSQL's TRIM without characters removes (DuckDB's trims only ' '). */
const WS = "[\\x{9}-\\x{d}\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]+";

/** GoogleSQL caps REPEAT, LPAD and RPAD output at 1MB. */
const MAX_OUTPUT = 1048576;

export const STRING_MACROS: string[] = [
  `CREATE MACRO gsql_pad(s, n, p) AS CASE WHEN gsql_nulls3(s, n, p) > 0 THEN NULL
     WHEN n < 0 THEN error('Second argument (output size) for LPAD/RPAD cannot be negative')
     WHEN p = '' THEN error('Third argument (pad pattern) for LPAD/RPAD cannot be empty')
     WHEN n > ${MAX_OUTPUT} THEN error('Output of LPAD/RPAD exceeds max allowed output size of 1MB') ELSE n END`,
  `CREATE MACRO gsql_lpad(s, n, p) AS lpad(s, CAST(gsql_pad(s, n, p) AS INTEGER), p)`,
  `CREATE MACRO gsql_rpad(s, n, p) AS rpad(s, CAST(gsql_pad(s, n, p) AS INTEGER), p)`,
  `CREATE MACRO gsql_repeat(s, n) AS CASE WHEN gsql_nulls(s, n) > 0 THEN NULL
     WHEN n < 0 THEN error('Second argument (repeat count) for REPEAT cannot be negative') WHEN s = '' THEN ''
     WHEN length(s) * n > ${MAX_OUTPUT} THEN error('Output of REPEAT exceeds max allowed output size of 1MB') ELSE repeat(s, n) END`,
  `CREATE MACRO gsql_left(s, n) AS CASE WHEN gsql_nulls(s, n) > 0 THEN NULL
     WHEN n < 0 THEN error('Second argument in LEFT() cannot be negative') ELSE left(s, CAST(least(n, length(s)) AS INTEGER)) END`,
  `CREATE MACRO gsql_right(s, n) AS CASE WHEN gsql_nulls(s, n) > 0 THEN NULL
     WHEN n < 0 THEN error('Second argument in RIGHT() cannot be negative') ELSE right(s, CAST(least(n, length(s)) AS INTEGER)) END`,
  // ASCII looks at the first character only: 0 for '', an error past 127.
  `CREATE MACRO gsql_ascii(s) AS CASE WHEN s = '' THEN 0 WHEN ascii(s) > 127
     THEN error('Argument to ASCII is not a structurally valid ASCII string') ELSE ascii(s) END`,
  // TRY_CAST: DuckDB would cast a constant n while binding, failing even where the CASE raises first.
  `CREATE MACRO gsql_chr(n) AS CASE WHEN n < 0 OR n > 1114111 OR n BETWEEN 55296 AND 57343
     THEN error('Invalid codepoint ' || n) ELSE chr(TRY_CAST(n AS INTEGER)) END`,
  // FROM_HEX pads an odd-length string with a leading 0.
  `CREATE MACRO gsql_from_hex(s) AS unhex(CASE WHEN length(s) % 2 = 1 THEN '0' || s ELSE s END)`,
];

/**
 * Capturing groups of a literal RE2 pattern, and whether a group may not take part in a match
 * (an alternation, or a group quantified to allow zero): ZetaSQL gives NULL there, DuckDB ''.
 */
function groupsOf(pattern: string): { groups: number; optional: boolean } {
  let groups = 0;
  let optional = pattern.includes("|");
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (c === "[") {
      i++;
      if (pattern[i] === "^") i++;
      if (pattern[i] === "]") i++;
      while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
    } else if (c === "(") {
      if (pattern[i + 1] !== "?" || pattern.startsWith("(?P<", i)) groups++;
    } else if (c === ")") {
      const next = pattern[i + 1];
      if (next === "?" || next === "*" || pattern.startsWith("{0", i + 1)) optional = true;
    }
  }
  return { groups, optional };
}

const regexpPattern = (call: Call, i: number): string => stringLiteral(call.nodes[i]) ?? refuse("a regular expression that is not a literal");

function regexpExtract(call: Call): string {
  if (call.args.length > 2) return refuse("REGEXP_EXTRACT with a position or occurrence");
  const { groups, optional } = groupsOf(regexpPattern(call, 1));
  if (groups > 1) return refuse("REGEXP_EXTRACT with several capturing groups");
  if (groups === 1 && optional) return refuse("REGEXP_EXTRACT with a group that may not take part");
  const [s, re] = call.args;
  // DuckDB gives '' where there is no match; GoogleSQL NULL.
  return `(CASE WHEN regexp_matches(${s}, ${re}) THEN regexp_extract(${s}, ${re}, ${groups}) END)`;
}

function regexpExtractAll(call: Call): string {
  const { groups, optional } = groupsOf(regexpPattern(call, 1));
  if (groups > 1) return refuse("REGEXP_EXTRACT_ALL with several capturing groups");
  if (groups === 1 && optional) return refuse("REGEXP_EXTRACT_ALL with a group that may not take part");
  return `coalesce(regexp_extract_all(${call.args[0]}, ${call.args[1]}, ${groups}), CASE WHEN ${call.args[0]} IS NOT NULL THEN CAST([] AS VARCHAR[]) END)`;
}

/**
 * REGEXP_REPLACE: DuckDB leaves the string as is where RE2 rejects the rewrite (\2 with one group);
 * ZetaSQL raises. Only rewrites proven valid compile: \\ and \<digit> within the pattern's groups.
 */
function regexpReplace(call: Call): string {
  const rewrite = stringLiteral(call.nodes[2]) ?? refuse("a REGEXP_REPLACE rewrite that is not a literal");
  const references = [...rewrite.matchAll(/\\(.)/g)].map((m) => m[1]);
  if (references.some((r) => r !== "\\" && !/\d/.test(r))) return refuse("a REGEXP_REPLACE rewrite with an escape other than \\\\ and \\<digit>");
  const highest = Math.max(0, ...references.filter((r) => /\d/.test(r)).map(Number));
  if (highest > 0 && highest > groupsOf(regexpPattern(call, 1)).groups) return refuse("a REGEXP_REPLACE rewrite naming a missing group");
  return `regexp_replace(${call.args[0]}, ${call.args[1]}, ${call.args[2]}, 'g')`;
}

/** FORMAT's specifiers and the argument kind each takes (GoogleSQL formats the others otherwise). */
const FORMAT_SPECIFIERS: Record<string, string> = { d: "TYPE_INT64", i: "TYPE_INT64", s: "TYPE_STRING", e: "TYPE_DOUBLE", E: "TYPE_DOUBLE", g: "TYPE_DOUBLE", G: "TYPE_DOUBLE" };

/**
 * FORMAT with a literal format of %d %i %s %e %g (flags - 0 + space, literal width and precision)
 * and arguments of exactly those kinds: DuckDB's printf prints as ZetaSQL's does (C's rules: nan,
 * inf, half-even on the exact binary value) up to 17 significant digits; beyond, it pads zeros
 * where C prints the exact expansion (%f of 1e308), so %f is refused, %e and %g above precision 16,
 * and the 0 flag for FLOAT64 (DuckDB pads inf with zeros on the right). NULL if any argument is.
 */
function format(call: Call): string {
  const fmt = stringLiteral(call.nodes[0]) ?? refuse("a FORMAT string that is not a literal");
  let argument = 1;
  const duckFormat = fmt.replace(/%([-0+ ]*)([0-9]*)(\.[0-9]+)?(.)?/g, (_all, flags: string, width: string, precision: string | undefined, specifier: string | undefined) => {
    if (specifier === "%" && !flags && !width && !precision) return "%%";
    const wanted = FORMAT_SPECIFIERS[specifier ?? ""] ?? refuse(`FORMAT specifier %${specifier ?? ""}`);
    if (kind(call.types[argument]) !== wanted) refuse(`FORMAT %${specifier} of ${kind(call.types[argument])}`);
    // DuckDB pads inf and nan with zeros on the right under the 0 flag; ZetaSQL with spaces on the left.
    if (wanted === "TYPE_DOUBLE" && flags.includes("0")) refuse("FORMAT of FLOAT64 with the 0 flag");
    if (wanted === "TYPE_DOUBLE" && Number((precision ?? ".6").slice(1)) > 16) refuse("FORMAT of FLOAT64 beyond 17 significant digits");
    argument++;
    return `%${flags}${width}${precision ?? ""}${specifier === "i" ? "d" : specifier}`;
  });
  if (argument !== call.args.length) return refuse("FORMAT with more arguments than specifiers");
  const args = call.args.slice(1);
  if (args.length === 0) return `printf(${quoteString(duckFormat)})`;
  const nulls = args.map((a) => `CAST(${a} IS NULL AS INTEGER)`).join(" + ");
  return `(CASE WHEN (${nulls}) > 0 THEN NULL ELSE printf(${quoteString(duckFormat)}, ${args.join(", ")}) END)`;
}

const strings = (form: Form): Form => onlyTypes([...STRINGS, "TYPE_INT64"], (call) => (kind(call.types[0]) === "TYPE_STRING" ? form(call) : refuse("BYTES argument")));

/** A hash's hex digest as BYTES; DuckDB hashes VARCHAR and BLOB alike. */
const digest = (fn: string): Form => (call) => `unhex(${fn}(${call.args[0]}))`;

export const STRING_FUNCTIONS: Record<string, Form> = {
  trim: strings(({ args }) => (args.length === 1 ? `regexp_replace(${args[0]}, '^${WS}|${WS}$', '', 'g')` : `trim(${args[0]}, ${args[1]})`)),
  ltrim: strings(({ args }) => (args.length === 1 ? `regexp_replace(${args[0]}, '^${WS}', '')` : `ltrim(${args[0]}, ${args[1]})`)),
  rtrim: strings(({ args }) => (args.length === 1 ? `regexp_replace(${args[0]}, '${WS}$', '')` : `rtrim(${args[0]}, ${args[1]})`)),
  lpad: strings(({ args }) => `gsql_lpad(${args[0]}, ${args[1]}, ${args[2] ?? "' '"})`),
  rpad: strings(({ args }) => `gsql_rpad(${args[0]}, ${args[1]}, ${args[2] ?? "' '"})`),
  repeat: strings(({ args }) => `gsql_repeat(${args[0]}, ${args[1]})`),
  // Code points reversed (DuckDB's reverse keeps grapheme clusters whole).
  reverse: strings(({ args }) => `array_to_string(list_reverse(regexp_extract_all(${args[0]}, '(?s).')), '')`),
  left: strings(({ args }) => `gsql_left(${args[0]}, ${args[1]})`),
  right: strings(({ args }) => `gsql_right(${args[0]}, ${args[1]})`),
  instr: (call) => {
    if (call.args.length > 2 || !call.types.every((t) => kind(t) === "TYPE_STRING")) return refuse("INSTR with a position, occurrence or BYTES");
    return `CAST(strpos(${call.args[0]}, ${call.args[1]}) AS BIGINT)`;
  },
  split: strings(({ args }) => `string_split(${args[0]}, ${args[1] ?? "','"})`),
  ascii: strings(({ args }) => `CAST(gsql_ascii(${args[0]}) AS BIGINT)`),
  unicode: onlyTypes(STRINGS, ({ args }) => `CAST(CASE WHEN ${args[0]} = '' THEN 0 ELSE unicode(${args[0]}) END AS BIGINT)`),
  chr: onlyTypes(["TYPE_INT64"], ({ args }) => `gsql_chr(${args[0]})`),
  to_hex: onlyTypes(["TYPE_BYTES"], ({ args }) => `lower(hex(${args[0]}))`),
  from_hex: onlyTypes(STRINGS, ({ args }) => `gsql_from_hex(${args[0]})`),
  md5: digest("md5"),
  sha1: digest("sha1"),
  sha256: digest("sha256"),
  regexp_contains: onlyTypes(STRINGS, ({ args }) => `regexp_matches(${args[0]}, ${args[1]})`),
  regexp_extract: onlyTypes([...STRINGS, "TYPE_INT64"], regexpExtract),
  regexp_extract_all: onlyTypes(STRINGS, regexpExtractAll),
  regexp_replace: onlyTypes(STRINGS, regexpReplace),
  format,
};
