/** Draws a Vega-Lite spec to SVG in Node, with the same vega and vega-lite the page loads. */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { VegaLiteSpec } from "../../dashboard/specs";

export const renderSvg = async (spec: VegaLiteSpec): Promise<string> => {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};
