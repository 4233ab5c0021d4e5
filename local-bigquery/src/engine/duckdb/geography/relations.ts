/**
 * Spatial predicates on the closed point sets BigQuery's geographies are (a polygon covers its
 * boundary: ST_COVERS(polygon, vertex) is TRUE, ST_CONTAINS(polygon, vertex) FALSE, two squares
 * sharing an edge touch). Built from s2js' exact predicates: Loop/Polygon containment and
 * intersection (S2's semi-open model: shared boundaries are not interior overlap) and polyline
 * crossing (a shared vertex counts). A case these cannot settle exactly (a linestring against
 * linestrings, a linestring running along a polygon's boundary) is refused.
 */
import { s2 } from "s2js";
import { chainsTouch, closedChains, GeographyUnsupported, isEmpty, s2Polygon, samePoint, type Geography, type Point } from "./geog";

/** The s2js views of a geography, built once per call. */
export interface Shape {
  g: Geography;
  polygon?: s2.Polygon;
  /** Polygon loops as closed chains. */
  boundary: Point[][];
}

export const shapeOf = (g: Geography): Shape => ({ g, polygon: s2Polygon(g.polygons), boundary: closedChains(g.polygons) });

const isVertexOf = (p: Point, chains: Point[][]): boolean => chains.some((c) => c.some((v) => samePoint(v, p)));

/** p is in the closed point set. */
export function pointIn(p: Point, s: Shape): boolean {
  if (s.g.points.some((q) => samePoint(q, p))) return true;
  if (isVertexOf(p, s.g.lines)) return true;
  return s.polygon !== undefined && (s.polygon.containsPoint(p) || isVertexOf(p, s.boundary));
}

export function intersects(a: Shape, b: Shape): boolean {
  if (isEmpty(a.g) || isEmpty(b.g)) return false;
  if (a.g.points.some((p) => pointIn(p, b)) || b.g.points.some((p) => pointIn(p, a))) return true;
  if (chainsTouch([...a.g.lines, ...a.boundary], [...b.g.lines, ...b.boundary])) return true;
  if (b.polygon && a.g.lines.some((l) => (b.polygon as s2.Polygon).containsPoint(l[0]))) return true;
  if (a.polygon && b.g.lines.some((l) => (a.polygon as s2.Polygon).containsPoint(l[0]))) return true;
  return a.polygon !== undefined && b.polygon !== undefined && a.polygon.intersects(b.polygon);
}

/** Triple product sign: which side of the great circle a->b the point c lies on. */
const side = (a: Point, b: Point, c: Point): number => Math.sign(a.vector.cross(b.vector).dot(c.vector));

/** Edge ab crosses edge cd at a point interior to both (no shared or collinear vertex). */
function properlyCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const abc = side(a, b, c);
  const abd = side(a, b, d);
  const cda = side(c, d, a);
  const cdb = side(c, d, b);
  return abc * abd < 0 && cda * cdb < 0;
}

const sameEdge = (a: Point, b: Point, c: Point, d: Point): boolean => (samePoint(a, c) && samePoint(b, d)) || (samePoint(a, d) && samePoint(b, c));

const sameChain = (l: Point[], m: Point[]): boolean =>
  l.length === m.length && (l.every((v, i) => samePoint(v, m[i])) || l.every((v, i) => samePoint(v, m[m.length - 1 - i])));

/** The line lies in the closed polygon: its vertices and edges do, and it crosses no boundary edge. */
function lineInPolygon(line: Point[], s: Shape): boolean {
  const polygon = s.polygon as s2.Polygon;
  if (!line.every((v) => polygon.containsPoint(v) || isVertexOf(v, s.boundary))) return false;
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    let onBoundary = false;
    for (const chain of s.boundary) {
      for (let j = 1; j < chain.length; j++) {
        if (properlyCross(a, b, chain[j - 1], chain[j])) return false;
        if (sameEdge(a, b, chain[j - 1], chain[j])) onBoundary = true;
      }
    }
    if (onBoundary) continue;
    const m = a.vector.add(b.vector).normalize();
    const mid = new s2.Point(m.x, m.y, m.z);
    if (isVertexOf(mid, s.boundary)) continue;
    // A midpoint exactly on a boundary edge it does not share: s2's answer there is symbolic.
    if (s.boundary.some((c) => c.some((v, j) => j > 0 && side(c[j - 1], v, mid) === 0))) throw new GeographyUnsupported("a linestring along a polygon's boundary");
    if (!polygon.containsPoint(mid)) return false;
  }
  return true;
}

/** No point of b lies outside a (both non-empty). */
export function covers(a: Shape, b: Shape): boolean {
  if (isEmpty(a.g) || isEmpty(b.g)) return false;
  if (!b.g.points.every((p) => pointIn(p, a))) return false;
  for (const line of b.g.lines) {
    if (a.g.lines.some((l) => sameChain(l, line))) continue;
    if (a.g.lines.length > 0) throw new GeographyUnsupported("ST_COVERS/ST_CONTAINS of a linestring by a geography with linestrings");
    if (!a.polygon || !lineInPolygon(line, a)) return false;
  }
  if (b.polygon) return a.polygon !== undefined && a.polygon.contains(b.polygon);
  return true;
}

/** The interiors meet (points are their own interior, a polygon's is open); lines refused. */
export function interiorsIntersect(a: Shape, b: Shape): boolean {
  if (a.g.lines.length > 0 || b.g.lines.length > 0) throw new GeographyUnsupported("the interior of a linestring (ST_CONTAINS, ST_WITHIN, ST_TOUCHES with linestrings)");
  const inInterior = (p: Point, s: Shape): boolean =>
    s.g.points.some((q) => samePoint(q, p)) || (s.polygon !== undefined && s.polygon.containsPoint(p) && !isVertexOf(p, s.boundary));
  if (a.g.points.some((p) => inInterior(p, b)) || b.g.points.some((p) => inInterior(p, a))) return true;
  return a.polygon !== undefined && b.polygon !== undefined && a.polygon.intersects(b.polygon);
}

/** Some edge of a covered line is not a boundary edge of a's polygons: it runs through their interior. */
const lineEntersInterior = (line: Point[], a: Shape): boolean =>
  line.slice(1).some((v, i) => !a.boundary.some((c) => c.slice(1).some((w, j) => sameEdge(line[i], v, c[j], w))));

export const contains = (a: Shape, b: Shape): boolean => {
  if (!covers(a, b)) return false;
  // Lines covered by a's polygons (a has no lines, or covers would have refused).
  if (b.g.lines.some((l) => lineEntersInterior(l, a))) return true;
  if (b.g.lines.length > 0 && b.g.points.length === 0 && b.g.polygons.length === 0) return false;
  return interiorsIntersect({ ...b, g: { ...b.g, lines: [] } }, a);
};

export function equals(a: Shape, b: Shape): boolean {
  if (isEmpty(a.g) && isEmpty(b.g)) return true;
  if (isEmpty(a.g) || isEmpty(b.g)) return false;
  // Disjoint geographies are unequal whatever they hold (covers may refuse linestrings).
  if (!intersects(a, b)) return false;
  return covers(a, b) && covers(b, a);
}

export const touches = (a: Shape, b: Shape): boolean => intersects(a, b) && !interiorsIntersect(a, b);
