// Copy the third-party browser assets of the web UI from node_modules into the
// Python package, with their licences, so `pip install` serves them offline.
// Run after `npm ci` in this folder:  npm ci && node build.mjs
// The copied files are committed: users never need npm.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const out = join(here, "..", "src", "counterclaim", "web", "static", "vendor");

const files = {
  "leaflet/dist/leaflet.js": "leaflet.js",
  "leaflet/dist/leaflet.css": "leaflet.css",
  "leaflet/dist/images/marker-icon.png": "images/marker-icon.png",
  "leaflet/dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
  "leaflet/dist/images/marker-shadow.png": "images/marker-shadow.png",
  "leaflet/dist/images/layers.png": "images/layers.png",
  "leaflet/dist/images/layers-2x.png": "images/layers-2x.png",
  "leaflet/LICENSE": "LICENSE.leaflet",
  "leaflet.markercluster/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
  "leaflet.markercluster/dist/MarkerCluster.css": "MarkerCluster.css",
  "leaflet.markercluster/dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
  "leaflet.markercluster/MIT-LICENCE.txt": "LICENSE.leaflet.markercluster",
  "topojson-client/dist/topojson-client.min.js": "topojson-client.min.js",
  "topojson-client/LICENSE": "LICENSE.topojson-client",
  // Natural Earth 1:50m country shapes (public domain), packaged as TopoJSON by world-atlas (ISC).
  "world-atlas/countries-50m.json": "countries-50m.json",
  "world-atlas/LICENSE": "LICENSE.world-atlas",
};

rmSync(out, { recursive: true, force: true });
const versions = [];
for (const [from, to] of Object.entries(files)) {
  mkdirSync(dirname(join(out, to)), { recursive: true });
  copyFileSync(join(modules, from), join(out, to));
}
for (const name of ["leaflet", "leaflet.markercluster", "topojson-client", "world-atlas"]) {
  const meta = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
  versions.push(`${meta.name}\t${meta.version}\t${meta.license}`);
}
writeFileSync(join(out, "VERSIONS.tsv"), "package\tversion\tlicense\n" + versions.join("\n") + "\n" +
  "Natural Earth\t(via world-atlas)\tpublic domain\n");
console.log(`copied ${Object.keys(files).length} files to ${out}`);
