/**
 * Measures on the sphere of S2Earth's radius, computed as S2 computes them: distances as chord
 * angles (S2ClosestEdgeQuery; S1ChordAngle -> S1Angle is 2 asin(chord / 2)), lengths and
 * perimeters as the sum of each edge's S1Angle (atan2 of |a x b| and a.b), areas by S2Loop's
 * signed-triangle sum, centroids by S2's true centroids.
 */
import { s2 } from "s2js";
import { EARTH_RADIUS_M, GeographyUnsupported, isEmpty, type Geography, type Point } from "./geog";
import { intersects, type Shape } from "./relations";

const DBL_EPSILON = 2.220446049250313e-16;
const chord2 = (a: Point, b: Point): number => a.vector.sub(b.vector).norm2();
const chordToMeters = (d2: number): number => 2 * Math.asin(Math.min(1, Math.sqrt(d2) / 2)) * EARTH_RADIUS_M;

/** S2's squared chord distance from x to edge ab (UpdateMinDistance: vertices, then the interior). */
export function edgeDistance2(x: Point, a: Point, b: Point): number {
  const xa2 = chord2(x, a);
  const xb2 = chord2(x, b);
  const best = Math.min(xa2, xb2);
  const ab2 = chord2(a, b);
  const maxError = 4.75 * DBL_EPSILON * (xa2 + xb2 + ab2) + 8 * DBL_EPSILON * DBL_EPSILON;
  if (Math.abs(xa2 - xb2) >= ab2 + maxError) return best;
  // RobustCrossProd's usual form: (b + a) x (b - a) = 2 (a x b), with less cancellation.
  const c = b.vector.add(a.vector).cross(b.vector.sub(a.vector));
  const c2 = c.norm2();
  if (c2 === 0) return best;
  const cx = c.cross(x.vector);
  if (a.vector.dot(cx) >= 0 || b.vector.dot(cx) <= 0) return best;
  const xDotC = x.vector.dot(c);
  const qr = 1 - Math.sqrt(cx.norm2() / c2);
  const dist2 = (xDotC * xDotC) / c2 + qr * qr;
  return Math.min(best, Math.min(4, dist2));
}

/** Edges (as vertex pairs) and isolated points of a geography. */
function edgesOf(g: Geography): [Point, Point][] {
  const chains = [...g.lines, ...g.polygons.flatMap((p) => p.loops.map((l) => [...l, l[0]]))];
  return chains.flatMap((c) => c.slice(1).map((v, i): [Point, Point] => [c[i], v]));
}
const vertexList = (g: Geography): Point[] => [...g.points, ...g.lines.flat(), ...g.polygons.flatMap((p) => p.loops.flat())];

function minDistance2(from: Geography, to: Geography): number {
  const edges = edgesOf(to);
  let best = Infinity;
  for (const x of vertexList(from)) {
    for (const p of to.points) best = Math.min(best, chord2(x, p));
    for (const [a, b] of edges) best = Math.min(best, edgeDistance2(x, a, b));
  }
  return best;
}

/** ST_DISTANCE in meters; undefined for an empty input (NULL). */
export function distance(a: Shape, b: Shape): number | undefined {
  if (isEmpty(a.g) || isEmpty(b.g)) return undefined;
  if (intersects(a, b)) return 0;
  // Disjoint geodesic edges are closest at a vertex of one of them.
  return chordToMeters(Math.min(minDistance2(a.g, b.g), minDistance2(b.g, a.g)));
}

/** ST_MAXDISTANCE of point sets (the furthest point of an edge or area may be inside it: refused). */
export function maxDistance(a: Geography, b: Geography): number | undefined {
  if (isEmpty(a) || isEmpty(b)) return undefined;
  if (a.lines.length + a.polygons.length + b.lines.length + b.polygons.length > 0) throw new GeographyUnsupported("ST_MAXDISTANCE of linestrings or polygons");
  let best = 0;
  for (const p of a.points) for (const q of b.points) best = Math.max(best, chord2(p, q));
  return chordToMeters(best);
}

const chainLength = (c: Point[]): number => c.slice(1).reduce((sum, v, i) => sum + c[i].distance(v), 0);

export const length = (g: Geography): number => g.lines.reduce((sum, l) => sum + chainLength(l), 0) * EARTH_RADIUS_M;

export const perimeter = (g: Geography): number => g.polygons.flatMap((p) => p.loops).reduce((sum, l) => sum + chainLength([...l, l[0]]), 0) * EARTH_RADIUS_M;

export function area(s: Shape): number {
  return s.polygon ? s.polygon.area() * EARTH_RADIUS_M * EARTH_RADIUS_M : 0;
}

/** S2::TrueCentroid(a, b): the edge's centroid times its length. */
function edgeCentroid(a: Point, b: Point): s2.Point["vector"] {
  const vsum = a.vector.add(b.vector);
  const sin2 = chord2(a, b);
  const cos2 = vsum.norm2();
  return cos2 === 0 ? vsum.mul(0) : vsum.mul(Math.sqrt(sin2 / cos2));
}

/** ST_CENTROID: of the highest dimension present; undefined for the empty geography. */
export function centroid(s: Shape): Point | undefined {
  const g = s.g;
  if (isEmpty(g)) return undefined;
  let sum: s2.Point["vector"];
  if (s.polygon) sum = s.polygon.centroid().vector;
  else if (g.lines.length > 0) sum = g.lines.flatMap((l) => l.slice(1).map((v, i) => edgeCentroid(l[i], v))).reduce((acc, v) => acc.add(v));
  else sum = g.points.map((p) => p.vector).reduce((acc, v) => acc.add(v));
  if (sum.norm2() === 0) throw new GeographyUnsupported("a centroid at the centre of the Earth (BigQuery returns an arbitrary point)");
  const n = sum.normalize();
  return new s2.Point(n.x, n.y, n.z);
}

/** S2::Project(x, a, b): the closest point to x on edge ab. */
function projectOnEdge(x: Point, a: Point, b: Point): Point {
  const c = b.vector.add(a.vector).cross(b.vector.sub(a.vector));
  const p = x.vector.sub(c.mul(x.vector.dot(c) / c.norm2()));
  const simpleCcw = (u: s2.Point["vector"], v: s2.Point["vector"], w: s2.Point["vector"]): boolean => w.cross(u).dot(v) > 0;
  if (simpleCcw(c, a.vector, p) && simpleCcw(p, b.vector, c)) {
    const n = p.normalize();
    return new s2.Point(n.x, n.y, n.z);
  }
  return chord2(x, a) <= chord2(x, b) ? a : b;
}

/** ST_CLOSESTPOINT(a, b): the point of a closest to b; b must be one point unless a is points. */
export function closestPoint(a: Shape, b: Shape): Point | undefined {
  if (isEmpty(a.g) || isEmpty(b.g)) return undefined;
  if (a.g.lines.length === 0 && a.g.polygons.length === 0) {
    let best: Point = a.g.points[0];
    let bestD = Infinity;
    for (const p of a.g.points) {
      const d = Math.min(...[...b.g.points.map((q) => chord2(p, q)), ...edgesOf(b.g).map(([u, v]) => edgeDistance2(p, u, v))]);
      const inside = b.polygon !== undefined && b.polygon.containsPoint(p);
      const dd = inside ? 0 : d;
      if (dd < bestD) [best, bestD] = [p, dd];
    }
    return best;
  }
  if (b.g.points.length !== 1 || b.g.lines.length > 0 || b.g.polygons.length > 0) throw new GeographyUnsupported("ST_CLOSESTPOINT from a linestring or polygon to anything but a point");
  const x = b.g.points[0];
  if (a.polygon && a.polygon.containsPoint(x)) return x;
  let best: Point = x;
  let bestD = Infinity;
  for (const p of a.g.points) if (chord2(x, p) < bestD) [best, bestD] = [p, chord2(x, p)];
  for (const [u, v] of edgesOf(a.g)) {
    const p = projectOnEdge(x, u, v);
    if (chord2(x, p) < bestD) [best, bestD] = [p, chord2(x, p)];
  }
  return best;
}
