// Leaflet plugins (marker clustering) extend the global L: give them the bundled one before they load.
import L from 'leaflet';

window.L = L;
export default L;
