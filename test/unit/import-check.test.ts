import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { importViolations } from '../../scripts/lint/check-imports';

const src = path.join(__dirname, '..', '..', 'src');
const checker = path.join(__dirname, '..', '..', 'scripts', 'lint', 'check-imports.ts');

/** A copy of src/ with one line added at the top of one file: the check must name what that line broke. */
function plant(file: string, line: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-check-'));
  fs.cpSync(src, root, { recursive: true });
  const target = path.join(root, file);
  fs.writeFileSync(target, `${line}\n${fs.readFileSync(target, 'utf8')}`);
  return root;
}

describe('import check (npm run lint)', () => {
  const planted: string[] = [];
  const planting = (file: string, line: string) => {
    const root = plant(file, line);
    planted.push(root);
    return root;
  };
  after(() => planted.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('finds no cycle and a clean workflow bundle in src/ as it is', () => {
    assert.deepEqual(importViolations(src), []);
  });

  it('when a type-only import closes a cycle between two files, it names both', () => {
    // shared/message.ts already imports shared/channels.ts.
    const root = planting('shared/channels.ts', "import type { ChannelStatus } from './message';");
    assert.deepEqual(importViolations(root), ['file cycle: shared/channels.ts ⇄ shared/message.ts']);
  });

  it('when folders import each other with no file cycle, it names the folders and the imports', () => {
    // config/index.ts imports shared/channels.ts; search-attributes.ts is imported by nothing in config.
    const root = planting('shared/search-attributes.ts', "import type { Config } from '../config';");
    const violations = importViolations(root);
    assert.equal(violations.length, 2, violations.join('\n'));
    assert.match(violations[0]!, /^folder cycle: config ⇄ shared, for example /);
    assert.match(violations[0]!, /shared\/search-attributes\.ts → config\/index\.ts/);
    assert.equal(
      violations[1],
      'layering: shared/search-attributes.ts imports config/index.ts, and shared may not import config',
    );
  });

  it('when a folder imports one its row in layers.json does not allow, without a cycle, it names the import', () => {
    // logging imports nothing of ours, so providers → logging closes no cycle; providers may import shared only.
    const root = planting('providers/types.ts', "import type { Logger } from '../logging/logger';");
    assert.deepEqual(importViolations(root), [
      'layering: providers/types.ts imports logging/logger.ts, and providers may not import logging',
    ]);
  });

  it('when a new folder has no row in layers.json, it asks for one', () => {
    const root = planting('api/main.ts', "import type { Unlisted } from '../unlisted/thing';");
    fs.mkdirSync(path.join(root, 'unlisted'));
    fs.writeFileSync(path.join(root, 'unlisted', 'thing.ts'), 'export type Unlisted = string;\n');
    assert.deepEqual(importViolations(root), [
      'folder unlisted has no row in scripts/lint/layers.json',
      'layering: api/main.ts imports unlisted/thing.ts, and api may not import unlisted',
    ]);
  });

  it('when workflow code reaches a package outside the SDK through another folder, it names the package', () => {
    const root = planting('workflows/overall-state.ts', "import { identifier } from '../shared/schema-primitives';");
    const violations = importViolations(root);
    assert.ok(violations.includes('workflow bundle reaches luxon (imported by shared/schema-primitives.ts)'));
    assert.ok(violations.includes('workflow bundle reaches zod (imported by shared/schema-primitives.ts)'));
  });

  it('a type-only import of such a module leaves the bundle clean', () => {
    const root = planting(
      'workflows/overall-state.ts',
      "import type { identifier } from '../shared/schema-primitives';",
    );
    assert.deepEqual(importViolations(root), []);
  });

  it('the lint step exits non-zero on a planted cycle', async () => {
    const root = planting('shared/channels.ts', "import type { ChannelStatus } from './message';");
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', checker, root]);
    await assert.rejects(run, (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /file cycle: shared\/channels\.ts ⇄ shared\/message\.ts/);
      return true;
    });
  });
});
