/**
 * Orders whose dashboard numbers are known by construction, and those numbers as the
 * charts print them ({ chart id: { label's description: label } }).
 */
const order = (order_id: string, order_date: string, ...versions: Array<[status: string, updated_at: string]>): Array<Record<string, string>> =>
  versions.map(([order_status, updated_at]) => ({ order_id, order_date, order_details: "item", order_status, updated_at }));

export const FIXTURE_ORDERS = [
  // Shipped 2 h and delivered 24 h after the order.
  ...order("dash-A", "2025-08-08T10:00:00Z", ["Pending", "2025-08-08T10:00:00Z"], ["Shipped", "2025-08-08T12:00:00Z"], ["Delivered", "2025-08-09T10:00:00Z"]),
  // Shipped 4 h after the order, not delivered yet.
  ...order("dash-B", "2025-08-08T11:00:00Z", ["Pending", "2025-08-08T11:00:00Z"], ["Shipped", "2025-08-08T15:00:00Z"]),
  ...order("dash-C", "2025-08-09T09:00:00Z", ["Pending", "2025-08-09T09:00:00Z"], ["Cancelled", "2025-08-09T10:00:00Z"]),
  ...order("dash-D", "2025-08-10T09:00:00Z", ["Processing", "2025-08-10T09:00:00Z"]),
  ...order("dash-E", "2025-08-10T13:30:00Z", ["Processing", "2025-08-10T13:30:00Z"]),
];

/** Every order: 5 orders on 3 days; shipped after 2 h and 4 h (mean 3), one delivered after 24 h; 1 of 5 cancelled. */
export const ALL_LABELS = {
  orders_by_status: { Delivered: "1", Shipped: "1", Cancelled: "1", Processing: "2" },
  new_orders_per_day: { "2025-08-08": "2", "2025-08-09": "1", "2025-08-10": "2" },
  hours_to_milestones: { "to shipped": "3.0 h", "to delivered": "24.0 h" },
  cancellation_rate: { "cancellation rate": "20.0%" },
};

/** from = to = 2025-08-09: only dash-C, cancelled, and no order shipped: that chart is empty. */
export const AUG_9 = { from: "2025-08-09", to: "2025-08-09" };
export const AUG_9_LABELS = {
  orders_by_status: { Cancelled: "1" },
  new_orders_per_day: { "2025-08-09": "1" },
  hours_to_milestones: {},
  cancellation_rate: { "cancellation rate": "100.0%" },
};

/** The value labels of a drawn chart's SVG: each text of the `values` layer by its description (aria-label). */
export const valueLabels = (svg: string): Record<string, string> => {
  const layer = /<g class="mark-text role-mark values_marks"[^>]*>(.*?)<\/g>/s.exec(svg)?.[1] ?? "";
  const labels: Record<string, string> = {};
  for (const m of layer.matchAll(/<text aria-label="([^"]*)"[^>]*>([^<]*)<\/text>/g)) labels[m[1]] = m[2];
  return labels;
};
