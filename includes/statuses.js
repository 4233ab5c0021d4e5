// The canonical order statuses and the SQL derived from them. Dataform exposes this file as the
// global `statuses`. The list itself lives in order_statuses.json, which the ingest function
// imports too: adding a status there adds it to the function's validation, the status
// assertions and a `<status>_at` column of order_lifecycle_metrics_v.
const list = require("./order_statuses.json");

function atColumn(status) {
  return `${status.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_at`;
}

function checkList(names) {
  if (!Array.isArray(names) || names.length === 0 || names.some((name) => typeof name !== "string" || !/^[A-Za-z][A-Za-z0-9 _-]*$/.test(name))) {
    throw new Error(`includes/order_statuses.json must be a non-empty JSON array of status names (letters, digits, space, _ or -), got ${JSON.stringify(names)}`);
  }
  const columns = names.map(atColumn);
  const clash = columns.find((column, index) => columns.indexOf(column) !== index);
  if (clash) {
    throw new Error(`includes/order_statuses.json: two statuses map to the same column ${clash}; status names must differ beyond case and punctuation`);
  }
}
checkList(list);

function quote(text) {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The statuses as a SQL list literal body: 'Pending', 'Processing', ... */
function sqlList() {
  return list.map(quote).join(", ");
}

/** One `MIN(IF(...)) AS <status>_at` select item per status: the first event time with that status. */
function firstAtColumns(statusColumn = "order_status", timeColumn = "event_time") {
  return list
    .map((status) => `MIN(IF(${statusColumn} = ${quote(status)}, ${timeColumn}, NULL)) AS ${atColumn(status)}`)
    .join(",\n  ");
}

/** Column descriptions for the generated `<status>_at` columns. */
function atColumnDescriptions() {
  return Object.fromEntries(
    list.map((status) => [atColumn(status), `Event time at which the order first had status ${status}; NULL if it never had it.`]),
  );
}

module.exports = { list, atColumn, sqlList, firstAtColumns, atColumnDescriptions };
