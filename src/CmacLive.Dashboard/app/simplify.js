// Polygons simplified for drawing (Douglas–Peucker on each ring), and parts smaller than the tolerance left out:
// a searched footprint of thousands of swaths is a few hundred points at a province's zoom.

/** The ring's points to keep, within `tolerance` (in the coordinates' units) of the ring; closed rings stay closed. */
export function simplifyRing(ring, tolerance) {
  if (ring.length <= 4) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = 1;
  keep[ring.length - 1] = 1;
  const squared = tolerance * tolerance;
  const stack = [[0, ring.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop();
    let farthest = -1;
    let distance = squared;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistanceSquared(ring[i], ring[first], ring[last]);
      if (d > distance) {
        distance = d;
        farthest = i;
      }
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return ring.filter((_, i) => keep[i]);
}

function segmentDistanceSquared([x, y], [x1, y1], [x2, y2]) {
  let dx = x2 - x1;
  let dy = y2 - y1;
  if (dx !== 0 || dy !== 0) {
    const share = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy);
    if (share > 1) {
      x1 = x2;
      y1 = y2;
    } else if (share > 0) {
      x1 += dx * share;
      y1 += dy * share;
    }
  }
  dx = x - x1;
  dy = y - y1;
  return dx * dx + dy * dy;
}

function tiny(ring, tolerance) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return maxX - minX < tolerance && maxY - minY < tolerance;
}

function simplifyPolygon(rings, tolerance) {
  if (rings.length === 0 || tiny(rings[0], tolerance)) return null;
  const kept = [];
  for (const ring of rings) {
    if (kept.length > 0 && tiny(ring, tolerance)) continue; // a hole too small to see
    const simple = simplifyRing(ring, tolerance);
    if (simple.length >= 4) kept.push(simple);
    else if (kept.length === 0) return null;
  }
  return kept;
}

/** A Polygon or MultiPolygon simplified within `tolerance`; null when nothing in it is larger than that. */
export function simplifyGeometry(geometry, tolerance) {
  if (!geometry) return null;
  if (geometry.type === 'Polygon') {
    const rings = simplifyPolygon(geometry.coordinates, tolerance);
    return rings ? { type: 'Polygon', coordinates: rings } : null;
  }
  if (geometry.type === 'MultiPolygon') {
    const polygons = geometry.coordinates.map((p) => simplifyPolygon(p, tolerance)).filter(Boolean);
    return polygons.length > 0 ? { type: 'MultiPolygon', coordinates: polygons } : null;
  }
  return geometry;
}

/** How many points a geometry holds. */
export function pointCount(geometry) {
  if (!geometry) return 0;
  const count = (node) => (typeof node[0] === 'number' ? 1 : node.reduce((sum, child) => sum + count(child), 0));
  return count(geometry.coordinates ?? []);
}
