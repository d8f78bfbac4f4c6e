import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_EXTENSION } from './plugins/module-files.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the running code lives: the checkout under tsx, `dist/` when built. Plugins and pieces are found here. */
export const CODE_ROOT = resolve(here, '../..');

/** The checkout itself, which holds `config/` in both cases. */
export const PROJECT_ROOT = RUNTIME_EXTENSION === '.ts' ? CODE_ROOT : resolve(CODE_ROOT, '..');

export const CORE_PIECES_DIRECTORY = resolve(CODE_ROOT, 'src');
export const PLUGINS_DIRECTORY = resolve(CODE_ROOT, 'plugins');
export const CONFIG_DIRECTORY = resolve(PROJECT_ROOT, 'config');
