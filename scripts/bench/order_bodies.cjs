/**
 * The benchmark's POST bodies: 500 distinct orders each. Plain CommonJS because
 * autocannon's worker threads require() its setupRequest file. The default export
 * is that setupRequest: every request gets the next batch number of this worker,
 * under the prefix in ORDER_BENCH_PREFIX (set before each run), so no two requests
 * of a run carry the same order.
 */
const ROWS_PER_BATCH = 500;

/** The JSON body of batch `batch`: orders `${prefix}${batch * 500 + i}`, i < 500. */
const orderBody = (prefix, batch) =>
  JSON.stringify(
    Array.from({ length: ROWS_PER_BATCH }, (_, i) => ({
      order_id: `${prefix}${String(batch * ROWS_PER_BATCH + i).padStart(7, "0")}`,
      order_date: "2025-08-08T10:00:00Z",
      order_details: "Laptop, Mouse",
      order_status: "Processing",
      updated_at: "2025-08-08T10:05:00.123456Z",
    })),
  );

let next = 0;
const setupRequest = (request) => ({ ...request, body: orderBody(process.env.ORDER_BENCH_PREFIX ?? "bench-c-", next++) });

module.exports = setupRequest;
module.exports.orderBody = orderBody;
module.exports.ROWS_PER_BATCH = ROWS_PER_BATCH;
