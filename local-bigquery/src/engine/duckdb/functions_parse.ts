/**
 * PARSE_DATE with a literal format of %Y, %m, %d, %e, %b/%B/%h and literal text. ZetaSQL reads
 * the text left to right, each number greedily up to its width and never backtracking ('202415'
 * with %Y%m%d is month 15, an error, where a regular expression would backtrack to 2024-1-5): a
 * run of adjacent numbers is one group of digits, cut into fields by width. Surrounding whitespace
 * is allowed; a space in the format matches any whitespace. Other elements are refused.
 */
import { type Call, type Form, kind, stringLiteral } from "./call";
import { quoteString } from "./types";
import { refuse } from "./unsupported";

type Field = "Y" | "m" | "d" | "month";
/** Where a field sits: its group in the expression, and (numbers) its offset and width in the group's digits. */
interface Place {
  group: number;
  offset?: number;
  width?: number;
}
const WIDTH: Record<string, number> = { Y: 4, m: 2, d: 2, e: 2 };
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WHITESPACE = "[ \\t\\n\\x0B\\f\\r]*";

const escapeRegex = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);

/** The format as a regular expression, and where each field is read from its groups. */
function compileFormat(format: string): { regex: string; fields: Partial<Record<Field, Place>> } {
  // %F is not %Y-%m-%d in ZetaSQL (it takes spaces before its numbers): refused, as other elements.
  const expanded = format;
  let regex = "";
  let group = 0;
  let run: { element: string; offset: number }[] = [];
  let runWidth = 0;
  const fields: Partial<Record<Field, Place>> = {};
  const place = (field: Field, at: Place): void => {
    if (fields[field] || (field === "month" && fields.m) || (field === "m" && fields.month)) refuse(`a format reading %${field} twice`);
    fields[field] = at;
  };
  const flush = (): void => {
    if (run.length === 0) return;
    group++;
    // Each field of the run needs a digit; the run holds at most the widths' sum.
    const min = run.slice(0, -1).reduce((sum, r) => sum + WIDTH[r.element], 0) + 1;
    regex += `([0-9]{${min},${runWidth}})`;
    for (const r of run) place(r.element === "Y" ? "Y" : r.element === "m" ? "m" : "d", { group, offset: r.offset, width: WIDTH[r.element] });
    run = [];
    runWidth = 0;
  };
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i];
    if (c !== "%") {
      flush();
      regex += c === " " ? WHITESPACE : escapeRegex(c);
      continue;
    }
    const element = expanded[++i] ?? "";
    if (element in WIDTH) {
      run.push({ element, offset: runWidth });
      runWidth += WIDTH[element];
    } else if (element === "b" || element === "B" || element === "h") {
      flush();
      group++;
      // Full names first: the leftmost alternative that matches wins.
      regex += `(${MONTHS.join("|")}|${MONTHS.map((m) => m.slice(0, 3)).join("|")})`;
      place("month", { group });
    } else if (element === "%") {
      flush();
      regex += "%";
    } else {
      return refuse(`PARSE_DATE element %${element}`);
    }
  }
  flush();
  return { regex: `^${WHITESPACE}${regex}${WHITESPACE}$`, fields };
}

export const PARSE_MACROS: string[] = [
  `CREATE MACRO gsql_month_number(name) AS CASE left(name, 3) WHEN 'jan' THEN 1 WHEN 'feb' THEN 2 WHEN 'mar' THEN 3 WHEN 'apr' THEN 4
     WHEN 'may' THEN 5 WHEN 'jun' THEN 6 WHEN 'jul' THEN 7 WHEN 'aug' THEN 8 WHEN 'sep' THEN 9 WHEN 'oct' THEN 10 WHEN 'nov' THEN 11 WHEN 'dec' THEN 12 END`,
  // y, m, d as text (NULL where the format has none: 1970, January, 1); an error where the text
  // does not match or the date is invalid (year 0 included).
  `CREATE MACRO gsql_parse_date(v, ok, y, m, d) AS CASE WHEN v IS NULL THEN NULL
     WHEN NOT ok OR CAST(coalesce(y, '1970') AS INTEGER) = 0 THEN error('Failed to parse input string ' || v)
     ELSE coalesce(TRY_CAST(lpad(coalesce(y, '1970'), 4, '0') || '-' || coalesce(m, '1') || '-' || coalesce(d, '1') AS DATE),
       error('Failed to parse input string ' || v)) END`,
];

function parseDate(call: Call): string {
  if (kind(call.types[1]) !== "TYPE_STRING") return refuse("PARSE_DATE of non-STRING");
  const format = stringLiteral(call.nodes[0]) ?? refuse("a PARSE_DATE format that is not a literal");
  const { regex, fields } = compileFormat(format);
  const v = call.args[1];
  const pattern = quoteString(regex);
  const read = (at: Place | undefined): string => {
    if (!at) return "NULL";
    const text = `regexp_extract(${v}, ${pattern}, ${at.group}, 'i')`;
    return at.width === undefined ? `lower(${text})` : `substr(${text}, ${(at.offset ?? 0) + 1}, ${at.width})`;
  };
  const month = fields.month ? `CAST(gsql_month_number(${read(fields.month)}) AS VARCHAR)` : read(fields.m);
  return `gsql_parse_date(${v}, regexp_full_match(${v}, ${pattern}, 'i'), ${read(fields.Y)}, ${month}, ${read(fields.d)})`;
}

export const PARSE_FUNCTIONS: Record<string, Form> = {
  parse_date: parseDate,
};
