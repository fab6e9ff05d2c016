// Every asset's marker, clustered when zoomed out, kept cheap to move with a large fleet.
//
// The clustering plugin's own answer to a marker moving is to take it out of its cluster tree and put it
// back, rebuilding the icons of every cluster on the way: thousands of times a second with 2,000 assets
// reporting each second, which stalls the page (measured at 5 frames a second). Here a marker is moved
// without that, and placed in the tree again, in one batch per frame, only once it has moved far enough
// to matter at a clustering zoom. The marker itself is always drawn where its last fix put it.
import L from './leaflet-global.js';
import 'leaflet.markercluster';

const RECLUSTER_AFTER_M = 50;

// The plugin finds a marker in its distance grid by projecting the marker's position now; a marker moved
// without re-clustering is filed under the point it had then, which the grid keeps. Look it up there.
const removeObject = L.DistanceGrid.prototype.removeObject;
L.DistanceGrid.prototype.removeObject = function removeStored(obj, point) {
  return removeObject.call(this, obj, this._objectPoint[L.Util.stamp(obj)] ?? point);
};

export class FleetLayer {
  constructor(map) {
    this.sosCount = 0;
    this.moved = new Set(); // markers to place in the tree again this frame
    this.fresh = []; // markers made this frame
    this.placed = new Set(); // markers put in the group and not taken out again, counted here rather than by the plugin
    this.group = L.markerClusterGroup({
      disableClusteringAtZoom: 14,
      spiderfyOnMaxZoom: false,
      showCoverageOnHover: false,
      // A cluster with an asset in SOS flashes like the asset itself: an SOS is never hidden by zooming out.
      iconCreateFunction: (cluster) => {
        const count = cluster.getChildCount();
        const sos = this.sosCount > 0 && cluster.getAllChildMarkers().some((m) => m.options.sos);
        const size = count < 10 ? 'small' : count < 100 ? 'medium' : 'large';
        return L.divIcon({
          html: `<div><span>${count}</span></div>`,
          className: `marker-cluster marker-cluster-${size}${sos ? ' cluster-sos' : ''}`,
          iconSize: L.point(40, 40),
        });
      },
    });
    map.addLayer(this.group);
  }

  /** A new marker: added with the others made in the same frame. */
  add(marker, sos) {
    marker.options.sos = false;
    this.setSos(marker, sos);
    this.fresh.push(marker);
  }

  move(marker, latlng) {
    this.group._ignoreMove = true; // the plugin's own switch for moves it should leave alone
    try {
      marker.setLatLng(latlng);
    } finally {
      this.group._ignoreMove = false;
    }
    if (this.group.hasLayer(marker) && marker.clusteredAt.distanceTo(latlng) > RECLUSTER_AFTER_M) {
      this.moved.add(marker);
    }
  }

  /** Whether the marker is in SOS; its clusters are redrawn when that changes. */
  setSos(marker, sos) {
    if (marker.options.sos === sos) return;
    marker.options.sos = sos;
    this.sosCount += sos ? 1 : -1;
    if (this.group.hasLayer(marker)) this.group.refreshClusters(marker);
  }

  isShown(marker) {
    return this.group.hasLayer(marker);
  }

  /** Shows exactly the markers for which shown(marker) holds, of those given, in one batch. */
  show(markers, shown) {
    const hide = [];
    const add = [];
    for (const marker of markers) {
      const wanted = shown(marker);
      if (wanted !== this.group.hasLayer(marker)) (wanted ? add : hide).push(marker);
    }
    if (hide.length > 0) {
      hide.forEach((m) => { this.moved.delete(m); this.placed.delete(m); });
      this.group.removeLayers(hide);
    }
    this.place(add);
  }

  /** Once a frame: markers that moved far go back into the tree, new ones come in. */
  flush(shown) {
    if (this.moved.size > 0) {
      const moved = [...this.moved];
      this.moved.clear();
      this.group.removeLayers(moved);
      this.place(moved);
    }
    if (this.fresh.length > 0) {
      this.place(this.fresh.splice(0).filter(shown));
    }
  }

  remove(marker) {
    this.moved.delete(marker);
    this.fresh = this.fresh.filter((m) => m !== marker);
    this.setSos(marker, false);
    this.placed.delete(marker);
    this.group.removeLayer(marker);
  }

  /** How many markers this layer has put in the group and not taken out: the group should list each of them once. */
  count() {
    return this.placed.size;
  }

  /**
   * Places where the plugin's distance grids disagree with its cluster tree: an entry filed under a cell
   * other than its stored point's, one without a stored point, or a marker no longer in the group; and a
   * cluster on the map whose count is not the number of markers it holds. None is expected; the browser tests look.
   */
  problems() {
    const found = [];
    const check = (grids, isMember, name) => {
      for (const [zoom, grid] of Object.entries(grids ?? {})) {
        for (const [y, row] of Object.entries(grid._grid)) {
          for (const [x, cell] of Object.entries(row)) {
            for (const item of cell) {
              const point = grid._objectPoint[L.Util.stamp(item)];
              if (!point) found.push(`${name} ${zoom}: no stored point`);
              else if (String(grid._getCoord(point.x)) !== x || String(grid._getCoord(point.y)) !== y) found.push(`${name} ${zoom}: filed in the wrong cell`);
              if (!isMember(item)) found.push(`${name} ${zoom}: not in the group`);
            }
          }
        }
      }
    };
    check(this.group._gridUnclustered, (marker) => this.group.hasLayer(marker), 'marker');
    check(this.group._gridClusters, (cluster) => cluster._childCount > 0, 'cluster');
    const drawn = new Set(this.group.getLayers().map((marker) => this.group.getVisibleParent(marker)));
    for (const cluster of drawn) {
      if (!(cluster instanceof L.MarkerCluster)) continue;
      const held = cluster.getAllChildMarkers().length;
      if (cluster.getChildCount() !== held) found.push(`cluster counts ${cluster.getChildCount()}, holds ${held}`);
    }
    return found;
  }

  place(markers) {
    if (markers.length === 0) return;
    markers.forEach((m) => { m.clusteredAt = m.getLatLng(); this.placed.add(m); });
    this.group.addLayers(markers);
  }
}
