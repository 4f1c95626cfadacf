// TypeScript projects that compile to CommonJS (module node16 or commonjs, as Jest setups often
// are) get the types of memalot and memalot/testing without error: the repository's tsc checks
// test/fixtures/cjs-types/use.cts.txt (copied to use.ts) in a project where 'memalot' is installed.
// The fixture has a @ts-expect-error that fails if the types resolve to nothing (any).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import { makeProjectDir } from './helpers/child.js';

for (const module of ['node16', 'commonjs', 'nodenext']) {
  test(`module ${module}: import from 'memalot' and 'memalot/testing' type-checks`, () => {
    const dir = makeProjectDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true }));
    copyFileSync(join(packageRoot, 'test', 'fixtures', 'cjs-types', 'use.cts.txt'), join(dir, 'use.ts'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module, strict: true, noEmit: true, types: ['node'], typeRoots: [join(packageRoot, 'node_modules', '@types')], lib: ['es2023', 'esnext.disposable'] },
        files: ['use.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(tsc.status, 0, `tsc (module ${module}):\n${tsc.stdout}${tsc.stderr}`);
  });
}
