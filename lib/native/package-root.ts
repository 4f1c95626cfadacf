import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root: compiled files live in <root>/dist/lib/<face>/. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
