// Warehouse-wide constants. Dataform exposes this file as the global `constants`.

// How far order_date may lie after ingested_at before it counts as an error: client clocks drift,
// and the function stamps ingested_at with its own clock.
const CLOCK_SKEW_TOLERANCE_SECONDS = 300;

module.exports = { CLOCK_SKEW_TOLERANCE_SECONDS };
