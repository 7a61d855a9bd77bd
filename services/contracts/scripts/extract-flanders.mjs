// Extracts the Flemish municipalities (reg_nis 02000) from the shared Belgian TopoJSON into a
// GeoJSON file that ships with the repo, so a fresh clone never needs ../shared.
// Usage: node scripts/extract-flanders.mjs [path/to/belgium-municipalities.topo.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const source =
  process.argv[2] ??
  fileURLToPath(new URL('../../../../shared/data/belgium-municipalities.topo.json', import.meta.url));
const target = fileURLToPath(new URL('../src/geo/flanders-municipalities.geo.json', import.meta.url));

const topology = JSON.parse(readFileSync(source, 'utf8'));
const all = feature(topology, topology.objects.municipalities);
// 5 decimals ≈ 1 m, finer than the source's ~25 m quantisation.
const round = (c) => (typeof c[0] === 'number' ? c.map((v) => Math.round(v * 1e5) / 1e5) : c.map(round));
const features = all.features
  .filter((f) => f.properties.reg_nis === '02000')
  .map((f) => ({
    type: 'Feature',
    properties: { nis: f.properties.nis, name: f.properties.name_nl, population: f.properties.population },
    geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
  }));
writeFileSync(target, JSON.stringify({ type: 'FeatureCollection', features }));
console.log(`wrote ${features.length} Flemish municipalities to ${target}`);
