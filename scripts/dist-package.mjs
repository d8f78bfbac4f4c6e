// The compiled tree runs from `dist/`, where `#sdk` must resolve to the compiled SDK: Node reads
// `imports` from the nearest package.json, so the build writes one there with the same map (its
// targets are relative, so `./src/sdk/index.js` names dist/src/sdk/index.js).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'));
const manifest = { name: root.name, version: root.version, private: true, type: root.type, imports: root.imports };
writeFileSync(join(import.meta.dirname, '../dist/package.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
