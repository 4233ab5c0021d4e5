// Unit tests of the versions layer itself, on raw rows. Only one-row outputs (rows are compared by
// position and the view has no ORDER BY); the version order is proven through the output views' tests.
const { at, ORDER_DATE, RAW_COLUMNS, rawRowsSql, selectRow, version } = require("./order_cases");

const COLUMNS = [
  ["order_id", "STRING"],
  ["event_id", "STRING"],
  ["order_date", "TIMESTAMP"],
  ["order_details", "STRING"],
  ["order_status", "STRING"],
  ["updated_at", "TIMESTAMP"],
  ["ingested_at", "TIMESTAMP"],
  ["event_time", "TIMESTAMP"],
  ["version_seq", "INT64"],
  ["version_count", "INT64"],
  ["previous_status", "STRING"],
];

const versionCases = [
  {
    name: "resent_event_keeps_earliest_ingest",
    rows: [
      version("o-resent", "e1", "Pending", { updated: at("09:00:00"), ingested: at("10:05:00") }),
      version("o-resent", "e1", "Pending", { updated: at("09:00:00"), ingested: at("10:00:00") }),
      version("o-resent", "e1", "Pending", { updated: at("09:00:00"), ingested: at("10:10:00") }),
    ],
    expected: { updated_at: at("09:00:00"), ingested_at: at("10:00:00"), event_time: at("09:00:00") },
  },
  {
    name: "event_time_falls_back_to_ingested_at",
    rows: [version("o-no-updated", "e1", "Pending", { ingested: at("10:00:00") })],
    expected: { updated_at: null, ingested_at: at("10:00:00"), event_time: at("10:00:00") },
  },
];

if (RAW_COLUMNS.length !== 7) {
  throw new Error("order_versions_v tests: update the expected rows when the raw contract columns change");
}

for (const testCase of versionCases) {
  const first = testCase.rows[0];
  test(`order_versions_v__${testCase.name}`)
    .dataset("order_versions_v")
    .input("orders_raw", rawRowsSql(testCase.rows, testCase.name))
    .expect(
      selectRow(
        COLUMNS,
        {
          order_id: first.order_id,
          event_id: first.event_id,
          order_date: ORDER_DATE,
          order_details: null,
          order_status: first.order_status,
          version_seq: 1,
          version_count: 1,
          previous_status: null,
          ...testCase.expected,
        },
        testCase.name,
      ),
    );
}
