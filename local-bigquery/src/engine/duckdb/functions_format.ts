/**
 * FORMAT_DATE, FORMAT_DATETIME, FORMAT_TIMESTAMP (in UTC) and FORMAT_TIME with a literal format:
 * each element becomes a DuckDB expression with ZetaSQL's padding (DuckDB's strftime pads %Y to
 * four digits, ZetaSQL does not; it lacks %e, %k, %l and %E<n>S). An element not mapped here is
 * refused, as is any time zone but UTC.
 */
import { type Call, type Form, kind, stringLiteral } from "./call";
import { quoteString } from "./types";
import { refuse } from "./unsupported";

type Piece = (x: string) => string;

const pad = (sql: string, width: number, fill = "0"): string => `lpad(CAST(${sql} AS VARCHAR), ${width}, '${fill}')`;
const text = (sql: string): string => `CAST(${sql} AS VARCHAR)`;
/** Week number when weeks start on weekday k (Sunday 0); days before the first such day are week 0. */
const week = (x: string, k: number): string => pad(`(dayofyear(${x}) - 1 - (dayofweek(${x}) - ${k} + 7) % 7 + 7) // 7`, 2);
const micros = (x: string): string => `(microsecond(${x}) % 1000000)`;

const DATE_PIECES: Record<string, Piece> = {
  Y: (x) => text(`year(${x})`),
  E4Y: (x) => pad(`year(${x})`, 4),
  C: (x) => text(`year(${x}) // 100`),
  y: (x) => pad(`year(${x}) % 100`, 2),
  G: (x) => text(`isoyear(${x})`),
  g: (x) => pad(`isoyear(${x}) % 100`, 2),
  V: (x) => pad(`weekofyear(${x})`, 2),
  U: (x) => week(x, 0),
  W: (x) => week(x, 1),
  u: (x) => text(`isodow(${x})`),
  w: (x) => text(`dayofweek(${x})`),
  j: (x) => pad(`dayofyear(${x})`, 3),
  m: (x) => pad(`month(${x})`, 2),
  d: (x) => pad(`day(${x})`, 2),
  e: (x) => pad(`day(${x})`, 2, " "),
  Q: (x) => text(`quarter(${x})`),
  a: (x) => `strftime(${x}, '%a')`,
  A: (x) => `strftime(${x}, '%A')`,
  b: (x) => `strftime(${x}, '%b')`,
  h: (x) => `strftime(${x}, '%b')`,
  B: (x) => `strftime(${x}, '%B')`,
};
DATE_PIECES.F = (x) => [DATE_PIECES.Y(x), "'-'", DATE_PIECES.m(x), "'-'", DATE_PIECES.d(x)].join(" || ");
DATE_PIECES.D = (x) => [DATE_PIECES.m(x), "'/'", DATE_PIECES.d(x), "'/'", DATE_PIECES.y(x)].join(" || ");
DATE_PIECES.x = DATE_PIECES.D;

const TIME_PIECES: Record<string, Piece> = {
  H: (x) => pad(`hour(${x})`, 2),
  k: (x) => pad(`hour(${x})`, 2, " "),
  I: (x) => pad(`(hour(${x}) + 11) % 12 + 1`, 2),
  l: (x) => pad(`(hour(${x}) + 11) % 12 + 1`, 2, " "),
  M: (x) => pad(`minute(${x})`, 2),
  S: (x) => pad(`second(${x})`, 2),
  p: (x) => `(CASE WHEN hour(${x}) < 12 THEN 'AM' ELSE 'PM' END)`,
  P: (x) => `(CASE WHEN hour(${x}) < 12 THEN 'am' ELSE 'pm' END)`,
  // %E*S: seconds with the fraction's significant digits; %E<n>S: n digits, truncated.
  "E*S": (x) => `${pad(`second(${x})`, 2)} || CASE WHEN ${micros(x)} = 0 THEN '' ELSE '.' || rtrim(${pad(micros(x), 6)}, '0') END`,
};
for (let n = 1; n <= 6; n++) TIME_PIECES[`E${n}S`] = (x) => `${pad(`second(${x})`, 2)} || '.' || left(${pad(micros(x), 6)}, ${n})`;
TIME_PIECES.T = (x) => [TIME_PIECES.H(x), "':'", TIME_PIECES.M(x), "':'", TIME_PIECES.S(x)].join(" || ");
TIME_PIECES.X = TIME_PIECES.T;
TIME_PIECES.R = (x) => [TIME_PIECES.H(x), "':'", TIME_PIECES.M(x)].join(" || ");

const INSTANT_PIECES: Record<string, Piece> = {
  Z: () => "'UTC'",
  z: () => "'+0000'",
  Ez: () => "'+00:00'",
  s: (x) => text(`gsql_floor_div(epoch_us(${x}), 1000000)`),
  Es: (x) => text(`gsql_floor_div(epoch_us(${x}), 1000000)`),
};

const LITERALS: Record<string, string> = { "%": "%", n: "\n", t: "\t" };

/** The format's elements as a concatenation of DuckDB expressions over x. */
function formatted(format: string, x: string, pieces: Record<string, Piece>): string {
  const parts: string[] = [];
  let literal = "";
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") {
      literal += format[i];
      continue;
    }
    const element = ["E*S", ...Object.keys(pieces).filter((k) => k.length > 1), ...Object.keys(pieces), ...Object.keys(LITERALS)].find((k) => format.startsWith(k, i + 1));
    if (element === undefined) return refuse(`format element %${format[i + 1] ?? ""}`);
    i += element.length;
    if (LITERALS[element] !== undefined) {
      literal += LITERALS[element];
      continue;
    }
    const piece = pieces[element] ?? refuse(`format element %${element}`);
    if (literal) parts.push(quoteString(literal));
    literal = "";
    parts.push(`(${piece(x)})`);
  }
  if (literal || parts.length === 0) parts.push(quoteString(literal));
  return parts.join(" || ");
}

function format(pieces: Record<string, Piece>, zoneAt?: number): Form {
  return (call: Call) => {
    const fmt = stringLiteral(call.nodes[0]) ?? refuse("a format that is not a literal");
    if (zoneAt !== undefined && call.args.length > zoneAt && stringLiteral(call.nodes[zoneAt]) !== "UTC") return refuse("a time zone other than UTC");
    const x = call.args[1];
    // NULL value, NULL result (the concatenation would be NULL anyway; the CASE keeps constant pieces out).
    return `(CASE WHEN ${x} IS NULL THEN NULL ELSE ${formatted(fmt, x, pieces)} END)`;
  };
}

const DATETIME_PIECES = { ...DATE_PIECES, ...TIME_PIECES };
DATETIME_PIECES.c = (x) => [DATE_PIECES.a(x), "' '", DATE_PIECES.b(x), "' '", DATE_PIECES.e(x), "' '", TIME_PIECES.T(x), "' '", DATE_PIECES.Y(x)].join(" || ");

export const FORMAT_FUNCTIONS: Record<string, Form> = {
  format_date: (call) => (kind(call.types[1]) === "TYPE_DATE" ? format(DATE_PIECES)(call) : refuse(`FORMAT_DATE of ${kind(call.types[1])}`)),
  format_datetime: (call) => (kind(call.types[1]) === "TYPE_DATETIME" ? format(DATETIME_PIECES)(call) : refuse(`FORMAT_DATETIME of ${kind(call.types[1])}`)),
  format_timestamp: (call) => (kind(call.types[1]) === "TYPE_TIMESTAMP" ? format({ ...DATETIME_PIECES, ...INSTANT_PIECES }, 2)(call) : refuse(`FORMAT_TIMESTAMP of ${kind(call.types[1])}`)),
  format_time: (call) => (kind(call.types[1]) === "TYPE_TIME" ? format(TIME_PIECES)(call) : refuse(`FORMAT_TIME of ${kind(call.types[1])}`)),
};
