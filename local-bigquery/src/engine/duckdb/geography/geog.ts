/**
 * BigQuery's GEOGRAPHY value: a point set on the unit sphere made of points, geodesic polylines
 * and one polygon (possibly several shells), as BigQuery (S2) holds it. Vertices are S2 points
 * (unit vectors): coordinates go degrees -> S2LatLng -> S2Point and back, so ST_X(ST_GEOGPOINT(1, 1))
 * is 0.9999999999999999 as in BigQuery (the corpus' ST_ASBINARY fact).
 *
 * Normal form (what BigQuery prints, documented examples and the corpus):
 * - points are distinct and sorted by S2CellId (ST_CLUSTERDBSCAN's and ST_CONVEXHULL's examples
 *   print MULTIPOINT(1 1, 2 2, 5 2, 4 4) for input (1 1, 2 2, 4 4, 5 2));
 * - polylines keep their order, consecutive duplicate vertices dropped;
 * - a polygon loop is kept as given when its interior (left side) is the smaller region, else
 *   reversed in place (POLYGON((0 0, 0 2, 2 2, 2 0, 0 0)) prints POLYGON((2 0, 2 2, 0 2, 0 0, 2 0))).
 *
 * What this module cannot match it refuses (GeographyUnsupported) rather than guess: collections
 * whose parts overlap (BigQuery unions them), overlapping polygons of a MULTIPOLYGON, degenerate
 * lines, and printing polygons with holes or larger than a hemisphere (how BigQuery lists such
 * loops is not documented).
 */
import { s2 } from "s2js";

export type Point = s2.Point;

/** S2Earth's radius, the one BigQuery measures with (the corpus' distances and areas fit it, not 6371008.8). */
export const EARTH_RADIUS_M = 6371010;

/** A user's error, as BigQuery raises it (SAFE. turns it into NULL). */
export class GeographyError extends Error {}

/** Something BigQuery computes that this implementation does not reproduce exactly. */
export class GeographyUnsupported extends Error {
  constructor(what: string) {
    super(`The local BigQuery does not support ${what}`);
  }
}

export interface Polygon {
  /** Loops with the interior on their left: the shell first, then its holes. */
  loops: Point[][];
}

export interface Geography {
  points: Point[];
  lines: Point[][];
  polygons: Polygon[];
}

export const EMPTY: Geography = { points: [], lines: [], polygons: [] };

const TO_RADIANS = Math.PI / 180;
const TO_DEGREES = 180 / Math.PI;

/** S2LatLng::FromDegrees(lat, lng).ToPoint(). */
export function fromLngLat(lng: number, lat: number): Point {
  const phi = lat * TO_RADIANS;
  const theta = lng * TO_RADIANS;
  const cosphi = Math.cos(phi);
  return new s2.Point(Math.cos(theta) * cosphi, Math.sin(theta) * cosphi, Math.sin(phi));
}

/** S2LatLng(point) in degrees, as [lng, lat]. */
export function toLngLat(p: Point): [number, number] {
  const { x, y, z } = p.vector;
  const lat = Math.atan2(z, Math.sqrt(x * x + y * y));
  const lng = Math.atan2(y, x);
  return [lng * TO_DEGREES, lat * TO_DEGREES];
}

export const samePoint = (a: Point, b: Point): boolean => a.vector.x === b.vector.x && a.vector.y === b.vector.y && a.vector.z === b.vector.z;

export const isEmpty = (g: Geography): boolean => g.points.length === 0 && g.lines.length === 0 && g.polygons.length === 0;

/** The highest dimension present, -1 for the empty geography. */
export const dimension = (g: Geography): number => (g.polygons.length > 0 ? 2 : g.lines.length > 0 ? 1 : g.points.length > 0 ? 0 : -1);

/** Drops consecutive duplicates (S2 has no degenerate edges); `closed`: the last vertex also against the first. */
export function dedupe(vertices: Point[], closed: boolean): Point[] {
  const out: Point[] = [];
  for (const v of vertices) if (out.length === 0 || !samePoint(out[out.length - 1], v)) out.push(v);
  while (closed && out.length > 1 && samePoint(out[0], out[out.length - 1])) out.pop();
  return out;
}

function compareCellIds(a: Point, b: Point): number {
  const ia = s2.cellid.fromPoint(a);
  const ib = s2.cellid.fromPoint(b);
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

export function normalPoints(points: Point[]): Point[] {
  const sorted = [...points].sort(compareCellIds);
  return sorted.filter((p, i) => i === 0 || !samePoint(sorted[i - 1], p));
}

/** The s2js polygon of all the geography's loops (oriented: interiors on the left). */
export function s2Polygon(polygons: Polygon[]): s2.Polygon | undefined {
  if (polygons.length === 0) return undefined;
  return s2.Polygon.fromOrientedLoops(polygons.flatMap((p) => p.loops.map((l) => new s2.Loop([...l]))));
}

/** The loops of a polygon as closed vertex chains (first vertex repeated), for boundary tests. */
export const closedChains = (polygons: Polygon[]): Point[][] => polygons.flatMap((p) => p.loops.map((l) => [...l, l[0]]));

/**
 * A geography from its parts, in normal form and validated; `oriented`: loops keep their
 * orientation (else each loop is the smaller region it bounds, reversed in place if need be).
 */
export function build(points: Point[], lines: Point[][], rings: Point[][][], oriented: boolean): Geography {
  const outLines = lines.map((line) => {
    const vertices = dedupe(line, false);
    if (vertices.length < 2) throw new GeographyUnsupported("a linestring with fewer than two distinct vertices");
    for (let i = 1; i < vertices.length; i++) {
      if (vertices[i - 1].vector.dot(vertices[i].vector) < -1 + 1e-15) throw new GeographyError("Edge between antipodal vertices is not allowed");
    }
    return vertices;
  });
  const polygons = rings.map((polygon) => ({ loops: polygon.map((ring, i) => loopOf(ring, oriented, i > 0)) }));
  const geography: Geography = { points: normalPoints(points), lines: outLines, polygons };
  validatePolygons(polygons);
  checkNoOverlap(geography);
  return geography;
}

function loopOf(ring: Point[], oriented: boolean, hole: boolean): Point[] {
  if (ring.length < 4 || !samePoint(ring[0], ring[ring.length - 1])) throw new GeographyError("Invalid polygon loop: the loop is not closed, or has fewer than 4 vertices");
  const vertices = dedupe(ring, true);
  if (vertices.length < 3) throw new GeographyError("Invalid polygon loop: a loop must have at least 3 distinct vertices");
  const loop = new s2.Loop([...vertices]);
  const invalid = loop.validate();
  if (invalid) throw new GeographyError(`Invalid polygon loop: ${invalid.message}`);
  // Oriented: kept as given, a polygon larger than a hemisphere included (computed with, not printed).
  if (oriented) return vertices;
  // Non-oriented: the smaller region, std::reverse if the loop went the other way (S2Loop::Invert).
  const small = loop.isNormalized() ? vertices : [...vertices].reverse();
  // Holes have the polygon's interior on their left, i.e. they run clockwise around their own area.
  return hole ? [...small].reverse() : small;
}

function validatePolygons(polygons: Polygon[]): void {
  for (const polygon of polygons) {
    const one = s2Polygon([polygon]) as s2.Polygon;
    const invalid = one.validate();
    if (invalid) throw new GeographyError(`Invalid polygon: ${invalid.message}`);
    // A hole must lie inside its own shell.
    const shell = new s2.Loop([...polygon.loops[0]]);
    for (const hole of polygon.loops.slice(1)) {
      if (!shell.containsPoint(hole[0])) throw new GeographyError("Invalid polygon: a hole is not inside its shell");
    }
  }
  for (let i = 0; i < polygons.length; i++) {
    for (let j = i + 1; j < polygons.length; j++) {
      const a = s2Polygon([polygons[i]]) as s2.Polygon;
      const b = s2Polygon([polygons[j]]) as s2.Polygon;
      if (a.intersects(b) || chainsTouch(closedChains([polygons[i]]), closedChains([polygons[j]]))) {
        throw new GeographyUnsupported("a MULTIPOLYGON whose polygons overlap or touch (BigQuery merges them)");
      }
    }
  }
}

/** Whether two sets of vertex chains share a vertex or have crossing edges (S2's crossing test). */
export function chainsTouch(a: Point[][], b: Point[][]): boolean {
  for (const ca of a) {
    const pa = new s2.Polyline(ca);
    for (const cb of b) if (pa.intersects(new s2.Polyline(cb))) return true;
  }
  return false;
}

/** BigQuery unions a collection's parts; only collections whose parts are disjoint are kept as they are. */
function checkNoOverlap(g: Geography): void {
  const polygon = s2Polygon(g.polygons);
  const chains = closedChains(g.polygons);
  for (const p of g.points) {
    const onLine = g.lines.some((l) => l.some((v) => samePoint(v, p)));
    const inPolygon = polygon !== undefined && (polygon.containsPoint(p) || chains.some((c) => c.some((v) => samePoint(v, p))));
    if (onLine || inPolygon) throw new GeographyUnsupported("a collection whose point lies on its other parts (BigQuery merges them)");
  }
  if (polygon) {
    for (const line of g.lines) {
      if (polygon.containsPoint(line[0]) || chainsTouch([line], chains)) {
        throw new GeographyUnsupported("a collection whose linestring meets its polygon (BigQuery merges them)");
      }
    }
  }
}

/**
 * Refuses to print a polygon larger than a hemisphere or with holes: how BigQuery lists such
 * loops (S2 keeps them inverted and nested) is not documented.
 */
export function checkPrintable(loops: Point[][], what: string): void {
  if (loops.length > 1) throw new GeographyUnsupported(`${what} of a polygon with holes (the vertex order BigQuery prints for a hole is not documented)`);
  if (!new s2.Loop([...loops[0]]).isNormalized()) throw new GeographyUnsupported(`${what} of a polygon larger than a hemisphere`);
}

/** Every vertex, in the order WKT lists them (polygon loops closed). */
export function vertices(g: Geography): Point[] {
  return [...g.points, ...g.lines.flat(), ...g.polygons.flatMap((p) => p.loops.flatMap((l) => [...l, l[0]]))];
}
