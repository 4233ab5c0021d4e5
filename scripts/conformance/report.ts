/** The printed summary: figures per area and in total, the largest failure classes with examples, the last line. */
import { CATEGORIES, PASS, REFUSED, WRONG, type Category, type Outcome } from "./replay";

const SHORT: Record<Category, string> = {
  [PASS]: "pass",
  [WRONG]: "wrong",
  "error where BigQuery succeeded": "error",
  "success where BigQuery errored": "no error",
  [REFUSED]: "refused",
};

const percent = (p: number, n: number): string => (n === 0 ? "-" : `${((100 * p) / n).toFixed(1)}%`);

/**
 * A failure class: category, sub-class and the message with what varies between fixtures blanked
 * (positions, quoted names, our dataset names, numbers), so one gap counts once however many fixtures hit it.
 */
export const failureClass = (o: Outcome): string => {
  let message = o.detail;
  if (o.category === WRONG) {
    if (o.sub === "schema") {
      message = message
        .replace(/column \d+ is named \S+, BigQuery names it \S+/, "a column named differently")
        .replace(/column \S+ is (\S+), BigQuery's is (\S+)/, "a column of type $1 where BigQuery's is $2")
        .replace(/\d+ columns, BigQuery has \d+/, "another number of columns");
    } else if (o.sub === "job metadata") {
      return `${o.category} | ${o.sub} | ${message}`; // the values are the class: "statement_type: ours X, BigQuery's Y"
    } else if (o.sub === "error reason") {
      message = message.replace(/:.*$/s, "");
    } else if (o.sub === "error message") {
      message = message.replace(/ \(BigQuery's pattern: .*\)$/s, "");
    } else message = ""; // row count, values, row order: the sub-class says it
  }
  message = message
    .replace(/(Unsupported built-in function|Function not found): \w+/gi, "$1: F") // the functions are listed under the class
    .replace(/ at \[\d+:\d+\]/g, "")
    .replace(/\(statement \d+ of the script\)/g, "(statement N of the script)")
    .replace(/\(setup step .*\)$/s, "")
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "X")
    .replace(/conformance_\w+/g, "DATASET")
    .replace(/\b\d+(\.\d+)?\b/g, "N")
    .replace(/\s+/g, " ")
    .trim();
  if (message.length > 150) message = `${message.slice(0, 147)}...`;
  return [o.category, o.sub, message].filter(Boolean).join(" | ");
};

/** Function names the failures name, e.g. "Function not found: FOO": the work list for a class. */
const functionNamed = (o: Outcome): string | undefined =>
  /(?:Unsupported built-in function|Function not found): (\w+)/i.exec(o.detail)?.[1]?.toUpperCase();

const shortId = (id: string): string => id.split("/").slice(1).join("/") || id;

export interface ReportInput {
  outcomes: Outcome[];
  server: string;
  seconds: number;
  sources: string[];
  concurrency: number;
}

export const printReport = ({ outcomes, server, seconds, sources, concurrency }: ReportInput, write: (line: string) => void): void => {
  const count = (list: Outcome[], c: Category): number => list.filter((o) => o.category === c).length;
  write(`Replayed ${outcomes.length} fixtures recorded on real BigQuery (${sources.join(", ")}) against ${server}: ${seconds.toFixed(0)} s, concurrency ${concurrency}.`);
  write("");

  const areas = [...new Set(outcomes.map((o) => o.area))].sort();
  const width = Math.max(12, ...areas.map((a) => a.length)) + 2;
  const header = ["pass", "of", "rate", ...CATEGORIES.filter((c) => c !== PASS).map((c) => SHORT[c])];
  write(`${"area".padEnd(width)}${header.map((h) => h.padStart(9)).join("")}`);
  const line = (name: string, list: Outcome[]): string => {
    const p = count(list, PASS);
    const cells = [String(p), String(list.length), percent(p, list.length), ...CATEGORIES.filter((c) => c !== PASS).map((c) => String(count(list, c)))];
    return `${name.padEnd(width)}${cells.map((c) => c.padStart(9)).join("")}`;
  };
  for (const area of areas) write(line(area, outcomes.filter((o) => o.area === area)));
  write(line("total", outcomes));
  write(`(wrong: wrong result; error: error where BigQuery succeeded; no error: success where BigQuery errored; refused: the local BigQuery says it does not implement it)`);
  write("");

  const classes = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    if (o.category === PASS) continue;
    const key = failureClass(o);
    const list = classes.get(key);
    if (list) list.push(o);
    else classes.set(key, [o]);
  }
  if (classes.size) {
    write(`Largest failure classes (${classes.size} in all; --json FILE has every fixture):`);
    const sorted = [...classes.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    for (const [key, list] of sorted.slice(0, 15)) {
      write(`${String(list.length).padStart(5)}  ${key}`);
      const functions = [...new Set(list.map(functionNamed).filter((f): f is string => Boolean(f)))];
      write(`       e.g. ${list.slice(0, 3).map((o) => shortId(o.id)).join(", ")}${functions.length ? `; functions: ${functions.slice(0, 10).join(", ")}${functions.length > 10 ? ", ..." : ""}` : ""}`);
      const detail = list[0].detail.replace(/\s+/g, " ");
      write(`       ${shortId(list[0].id)}: ${detail.length > 200 ? `${detail.slice(0, 197)}...` : detail}`);
    }
    write("");
  }

  // The comparison of errors is the strictest rule here; this line shows what it decided.
  const bothErrored = outcomes.filter((o) => ["both errored", "error reason", "error message"].includes(o.sub));
  if (bothErrored.length) {
    const same = bothErrored.filter((o) => o.category === PASS).length;
    write(
      `Where BigQuery errored and so did we (${bothErrored.length}): ${same} with BigQuery's reason and a message its pattern matches (pass), ` +
        `${bothErrored.length - same} with another reason or message (wrong result).`,
    );
  }
  const p = count(outcomes, PASS);
  write(`conformance: ${p}/${outcomes.length} (${percent(p, outcomes.length)}) match real BigQuery`);
};
