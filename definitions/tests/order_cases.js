// Fixture orders shared by the views' unit tests (*_test.js beside this file), and the helpers that
// turn them into SQL. Each case is ONE order: the views return one row per order and carry no
// ORDER BY, and Dataform compares test rows by position, so a one-row expectation is the only
// order-independent one. Defines no action.

const DAY = "2025-03-01";

/** A TIMESTAMP on the fixture day, e.g. at("10:00:05"). */
function at(time) {
  return `${DAY} ${time}+00`;
}

const ORDER_DATE = at("08:00:00");

const RAW_COLUMNS = [
  ["event_id", "STRING"],
  ["order_id", "STRING"],
  ["order_date", "TIMESTAMP"],
  ["order_details", "STRING"],
  ["order_status", "STRING"],
  ["updated_at", "TIMESTAMP"],
  ["ingested_at", "TIMESTAMP"],
];

/** One orders_raw row. */
function version(orderId, eventId, status, { updated = null, ingested, details = null, orderDate = ORDER_DATE }) {
  return {
    event_id: eventId,
    order_id: orderId,
    order_date: orderDate,
    order_details: details,
    order_status: status,
    updated_at: updated,
    ingested_at: ingested,
  };
}

const cases = [
  {
    name: "several_versions",
    about: "four versions in order; the last one corrects order_date",
    rows: [
      version("o-several", "e1", "Pending", { updated: at("10:00:00"), ingested: at("10:00:05"), details: "2 items" }),
      version("o-several", "e2", "Processing", { updated: at("11:00:00"), ingested: at("11:00:05"), details: "2 items" }),
      version("o-several", "e3", "Shipped", { updated: at("12:00:00"), ingested: at("12:00:05"), details: "2 items" }),
      version("o-several", "e4", "Delivered", { updated: at("13:00:00"), ingested: at("13:00:05"), details: "2 items", orderDate: at("08:30:00") }),
    ],
  },
  {
    name: "event_time_tie",
    about: "same updated_at: ingested_at decides (event_id order would say the opposite)",
    rows: [
      version("o-tie", "e2", "Pending", { updated: at("10:00:00"), ingested: at("10:00:01") }),
      version("o-tie", "e1", "Processing", { updated: at("10:00:00"), ingested: at("10:00:02") }),
    ],
  },
  {
    name: "event_time_and_ingest_tie",
    about: "same updated_at and ingested_at: event_id decides (listed in the opposite order)",
    rows: [
      version("o-full-tie", "e-b", "Pending", { updated: at("10:00:00"), ingested: at("10:00:01") }),
      version("o-full-tie", "e-a", "Processing", { updated: at("10:00:00"), ingested: at("10:00:01") }),
    ],
  },
  {
    name: "late_arrival",
    about: "a version with an older updated_at ingested after a newer one takes its place by event time",
    rows: [
      version("o-late", "e1", "Pending", { updated: at("09:00:00"), ingested: at("09:00:01") }),
      version("o-late", "e3", "Shipped", { updated: at("12:00:00"), ingested: at("12:00:01") }),
      version("o-late", "e2", "Processing", { updated: at("10:00:00"), ingested: at("13:00:00") }),
    ],
  },
  {
    name: "duplicated_event_id",
    about: "the first event resent later (no updated_at): counted once, at its earliest ingest",
    rows: [
      version("o-dup", "e1", "Pending", { ingested: at("10:00:00"), details: "1 item" }),
      version("o-dup", "e2", "Shipped", { ingested: at("11:00:00"), details: "1 item" }),
      version("o-dup", "e1", "Pending", { ingested: at("12:00:00"), details: "1 item" }),
    ],
  },
  {
    name: "single_version",
    about: "one version without updated_at: event time is ingested_at",
    rows: [version("o-single", "e1", "Pending", { ingested: at("10:00:00"), details: "gift wrap" })],
  },
  {
    name: "cancelled",
    about: "an order cancelled while processing",
    rows: [
      version("o-cancelled", "e1", "Pending", { updated: at("10:00:00"), ingested: at("10:00:01") }),
      version("o-cancelled", "e2", "Processing", { updated: at("10:30:00"), ingested: at("10:30:01") }),
      version("o-cancelled", "e3", "Cancelled", { updated: at("11:00:00"), ingested: at("11:00:01") }),
    ],
  },
  {
    name: "status_goes_back",
    about: "Pending, Processing, back to Pending, Processing, then Processing again with new details",
    rows: [
      version("o-back", "e1", "Pending", { updated: at("10:00:00"), ingested: at("10:00:01"), details: "v1" }),
      version("o-back", "e2", "Processing", { updated: at("11:00:00"), ingested: at("11:00:01"), details: "v1" }),
      version("o-back", "e3", "Pending", { updated: at("12:00:00"), ingested: at("12:00:01"), details: "v2" }),
      version("o-back", "e4", "Processing", { updated: at("13:00:00"), ingested: at("13:00:01"), details: "v2" }),
      version("o-back", "e5", "Processing", { updated: at("14:00:00"), ingested: at("14:00:01"), details: "v3" }),
    ],
  },
];

function quote(text) {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function literal(value, type) {
  if (value === null) {
    return `CAST(NULL AS ${type})`;
  }
  switch (type) {
    case "STRING":
      return quote(value);
    case "INT64":
      return String(value);
    case "FLOAT64":
      return `CAST(${value} AS FLOAT64)`;
    case "TIMESTAMP":
      return `TIMESTAMP ${quote(value)}`;
    default:
      throw new Error(`order_cases.js: no literal for type ${type}`);
  }
}

/** `SELECT <literal> AS <column>, ...` for one row; every column must be given (null included). */
function selectRow(columns, row, where) {
  const missing = columns.map(([name]) => name).filter((name) => row[name] === undefined);
  const extra = Object.keys(row).filter((name) => !columns.some(([column]) => column === name));
  if (missing.length || extra.length) {
    throw new Error(`${where}: missing columns [${missing}], unknown columns [${extra}]`);
  }
  return `SELECT ${columns.map(([name, type]) => `${literal(row[name], type)} AS ${name}`).join(", ")}`;
}

/** The rows as a UNION ALL query with the orders_raw contract columns. */
function rawRowsSql(rows, where) {
  return rows.map((row) => selectRow(RAW_COLUMNS, row, where)).join("\nUNION ALL\n");
}

/** The order_versions_v input of an output view's test: the case's raw rows through the real versions SQL. */
function versionsInput(testCase) {
  return `WITH raw_fixture AS (\n${rawRowsSql(testCase.rows, testCase.name)}\n)\n${sql.orderVersions("raw_fixture")}`;
}

/**
 * Declares one Dataform unit test per case for `view`, whose input is order_versions_v built from the
 * case's raw rows. `expected` maps every case name to the view's one expected row.
 */
function testEveryCase(view, columns, expected) {
  const unknown = Object.keys(expected).filter((name) => !cases.some((testCase) => testCase.name === name));
  if (unknown.length) {
    throw new Error(`${view} tests: unknown cases [${unknown}]`);
  }
  for (const testCase of cases) {
    if (!expected[testCase.name]) {
      throw new Error(`${view} tests: no expected row for case ${testCase.name}`);
    }
    test(`${view}__${testCase.name}`)
      .dataset(view)
      .input("order_versions_v", versionsInput(testCase))
      .expect(selectRow(columns, expected[testCase.name], `${view}__${testCase.name}`));
  }
}

module.exports = { at, ORDER_DATE, RAW_COLUMNS, cases, version, rawRowsSql, selectRow, testEveryCase };
