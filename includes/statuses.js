// The canonical order statuses and the SQL derived from them. Dataform exposes this file as the
// global `statuses`. The list itself lives in order_statuses.json, which the ingest function
// imports too: adding a status there adds it to the function's validation, the status
// assertions and a `<status>_at` column of order_lifecycle_metrics_v.
const list = require("./order_statuses.json");

/** A status as part of a column name: "On Hold" -> on_hold. */
function slug(status) {
  return status.toLowerCase().replace(/[^a-z0-9]+/g, "_");
}

function atColumn(status) {
  return `${slug(status)}_at`;
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

/**
 * `name` itself, once checked against the list. SQL about one particular status (shipping, delivery,
 * cancellation) names it through this, so renaming or removing that status fails the compile with a
 * message instead of leaving a column silently NULL or 0.
 */
function named(name) {
  if (!list.includes(name)) {
    throw new Error(`status ${name} is used by the warehouse but is not in includes/order_statuses.json (${list.join(", ")})`);
  }
  return name;
}

/** A listed status as a SQL string literal. */
function literal(name) {
  return quote(named(name));
}

/** The aggregate expression of the first event time with `status`: MIN(IF(...)). */
function firstAt(status, statusColumn = "order_status", timeColumn = "event_time") {
  return `MIN(IF(${statusColumn} = ${literal(status)}, ${timeColumn}, NULL))`;
}

/** One `MIN(IF(...)) AS <status>_at` select item per status: the first event time with that status. */
function firstAtColumns(statusColumn = "order_status", timeColumn = "event_time") {
  return list.map((status) => `${firstAt(status, statusColumn, timeColumn)} AS ${atColumn(status)}`).join(",\n  ");
}

// The statuses the Looker Studio dashboard measures in order_lifecycle_metrics_v: hours from order_date to
// each milestone (hours_to_<status>) and the share of orders currently cancelled (is_cancelled).
const milestones = [named("Shipped"), named("Delivered")];
const cancelled = named("Cancelled");

/** The column of hours from order_date until the order first had `status`: hours_to_<status>. */
function hoursToColumn(status) {
  return `hours_to_${slug(named(status))}`;
}

/** Column descriptions for the generated `<status>_at` columns. */
function atColumnDescriptions() {
  return Object.fromEntries(
    list.map((status) => [atColumn(status), `Event time at which the order first had status ${status}; NULL if it never had it.`]),
  );
}

module.exports = {
  list,
  milestones,
  cancelled,
  atColumn,
  named,
  literal,
  sqlList,
  firstAt,
  firstAtColumns,
  hoursToColumn,
  atColumnDescriptions,
};
