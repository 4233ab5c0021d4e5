/**
 * WKT in and out. BigQuery prints coordinates as C's %.15g (POINT(2.00000000000004 2.00040218892024),
 * -8.99307563648653e-05). Values computed by queries travel (and are stored) in a lossless variant,
 * "S2 " followed by WKT whose vertices are the S2 points' x y z: degrees -> point -> degrees is not
 * an identity, and BigQuery keeps the points (ST_ASBINARY(ST_GEOGPOINT(1, 1)) has 0.9999999999999999).
 * Plain WKT (rows inserted as text, parameters) is read as ST_GEOGFROMTEXT reads it.
 */
import { s2 } from "s2js";
import { build, checkPrintable, EMPTY, fromLngLat, GeographyError, isEmpty, toLngLat, type Geography, type Point } from "./geog";

/** C's printf("%.15g", x). */
export function g15(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, exp] = x.toExponential(14).split("e");
  const e = Number(exp);
  if (e < -4 || e >= 15) {
    const m = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, 14 - e));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

type Format = (x: number) => string;
const PRECISE: Format = (x) => String(x);
const LOSSLESS = "S2 ";

const coord = (p: Point, f: Format): string => {
  if (f === PRECISE) return `${f(p.vector.x)} ${f(p.vector.y)} ${f(p.vector.z)}`;
  const [lng, lat] = toLngLat(p);
  return `${f(lng)} ${f(lat)}`;
};
const chain = (ps: Point[], f: Format): string => `(${ps.map((p) => coord(p, f)).join(", ")})`;

function polygonText(loops: Point[][], f: Format, precise: boolean): string {
  if (!precise) checkPrintable(loops, "WKT");
  return `(${loops.map((l) => chain([...l, l[0]], f)).join(", ")})`;
}

/** The geography as WKT: BigQuery's text, or (precise) the lossless text queries pass along. */
export function toWkt(g: Geography, precise = false): string {
  return precise ? LOSSLESS + wkt(g, true) : wkt(g, false);
}

function wkt(g: Geography, precise: boolean): string {
  const f = precise ? PRECISE : g15;
  const parts: string[] = [];
  if (g.points.length === 1) parts.push(`POINT(${coord(g.points[0], f)})`);
  if (g.points.length > 1) parts.push(`MULTIPOINT(${g.points.map((p) => coord(p, f)).join(", ")})`);
  if (g.lines.length === 1) parts.push(`LINESTRING${chain(g.lines[0], f)}`);
  if (g.lines.length > 1) parts.push(`MULTILINESTRING(${g.lines.map((l) => chain(l, f)).join(", ")})`);
  if (g.polygons.length === 1) parts.push(`POLYGON${polygonText(g.polygons[0].loops, f, precise)}`);
  if (g.polygons.length > 1) parts.push(`MULTIPOLYGON(${g.polygons.map((p) => polygonText(p.loops, f, precise)).join(", ")})`);
  if (isEmpty(g)) return "GEOMETRYCOLLECTION EMPTY";
  return parts.length === 1 ? parts[0] : `GEOMETRYCOLLECTION(${parts.join(", ")})`;
}

/** Parts as parsed, before normalisation. */
export interface Parts {
  points: Point[];
  lines: Point[][];
  polygons: Point[][][];
}

const invalid = (detail: string): never => {
  throw new GeographyError(`ST_GeogFromText failed: Invalid WKT: ${detail}`);
};

/** A checked vertex from degrees (WKT, WKB and GeoJSON share the ranges). */
export function vertex(lng: number, lat: number): Point {
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) throw new GeographyError("Invalid coordinates: not finite");
  if (lat < -90 || lat > 90) throw new GeographyError(`Latitude must be between -90 and 90 degrees: ${lat}`);
  if (lng < -180 || lng > 180) throw new GeographyError(`Longitude must be between -180 and 180 degrees: ${lng}`);
  return fromLngLat(lng, lat);
}

class Tokens {
  private readonly items: string[];
  private at = 0;
  constructor(text: string) {
    this.items = text.match(/[A-Za-z_]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[(),]|\S/g) ?? [];
  }
  peek(): string | undefined {
    return this.items[this.at];
  }
  next(): string {
    return this.items[this.at++] ?? invalid("unexpected end of input");
  }
  expect(token: string): void {
    const t = this.next();
    if (t.toUpperCase() !== token) invalid(`expected '${token}', found '${t}'`);
  }
  done(): boolean {
    return this.at >= this.items.length;
  }
}

function number(t: Tokens): number {
  const text = t.next();
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) invalid(`expected a number, found '${text}'`);
  return Number(text);
}

function coordinate(t: Tokens, xyz: boolean): Point {
  if (xyz) return new s2.Point(number(t), number(t), number(t));
  const lng = number(t);
  const lat = number(t);
  if (/^[-+.\d]/.test(t.peek() ?? "")) invalid("only two-dimensional coordinates are supported");
  return vertex(lng, lat);
}

/** EMPTY, or '(' item (',' item)* ')'. */
function list<T>(t: Tokens, item: () => T): T[] {
  if (t.peek()?.toUpperCase() === "EMPTY") {
    t.next();
    return [];
  }
  t.expect("(");
  const out = [item()];
  while (t.peek() === ",") {
    t.next();
    out.push(item());
  }
  t.expect(")");
  return out;
}

function geometry(t: Tokens, into: Parts, xyz: boolean): void {
  const type = t.next().toUpperCase();
  const modifier = t.peek()?.toUpperCase();
  if (modifier === "Z" || modifier === "M" || modifier === "ZM") invalid("Z and M coordinates are not supported");
  const coordinate_ = (): Point => coordinate(t, xyz);
  const ring = (): Point[] => list(t, coordinate_);
  switch (type) {
    case "POINT":
      into.points.push(...list(t, coordinate_));
      return;
    case "LINESTRING": {
      const line = ring();
      if (line.length > 0) into.lines.push(line);
      return;
    }
    case "POLYGON": {
      const loops = list(t, ring);
      if (loops.length > 0) into.polygons.push(loops);
      return;
    }
    case "MULTIPOINT":
      // MULTIPOINT(0 0, 1 1) and MULTIPOINT((0 0), (1 1)) are both WKT.
      into.points.push(...list(t, () => (t.peek() === "(" ? (list(t, coordinate_)[0] ?? invalid("empty point")) : coordinate_())));
      return;
    case "MULTILINESTRING":
      into.lines.push(...list(t, ring).filter((l) => l.length > 0));
      return;
    case "MULTIPOLYGON":
      into.polygons.push(...list(t, () => list(t, ring)).filter((p) => p.length > 0));
      return;
    case "GEOMETRYCOLLECTION":
      list(t, () => geometry(t, into, xyz));
      return;
    default:
      invalid(`unknown geometry type '${type}'`);
  }
}

export function parseWkt(text: string, oriented = false): Geography {
  const xyz = text.startsWith(LOSSLESS);
  const t = new Tokens(xyz ? text.slice(LOSSLESS.length) : text);
  const parts: Parts = { points: [], lines: [], polygons: [] };
  geometry(t, parts, xyz);
  if (!t.done()) invalid(`unexpected '${t.next()}' after the geometry`);
  // The lossless form is already normal: its loops keep their orientation.
  return build(parts.points, parts.lines, parts.polygons, oriented || xyz);
}

const cache = new Map<string, Geography>();

/** A GEOGRAPHY value (lossless or plain WKT) as a geography; recent values are remembered. */
export function readGeography(text: string): Geography {
  if (text === "GEOMETRYCOLLECTION EMPTY" || text === LOSSLESS + "GEOMETRYCOLLECTION EMPTY") return EMPTY;
  let g = cache.get(text);
  if (!g) {
    g = parseWkt(text);
    if (cache.size > 10_000) cache.clear();
    cache.set(text, g);
  }
  return g;
}
