#!/usr/bin/env node
// Writes the JSON Schemas of the saved report files to schema/, from the zod schemas in
// lib/storage/schema.ts (compile first: npm run schema does both).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './source-hash.mjs';

const { jsonSchemas } = await import(pathToFileURL(join(packageRoot, 'dist', 'lib', 'storage', 'schema.js')).href);
mkdirSync(join(packageRoot, 'schema'), { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(packageRoot, 'schema', name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`schema/${name}`);
}
