import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  image: string;
  ports?: string[];
  command?: string[];
  environment?: Record<string, string>;
}

describe('temporal-docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'temporal-docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  };

  const services = () => compose.services;

  it('runs Temporal on a real database with its Web UI, every image pinned', () => {
    const { services } = compose;
    assert.deepEqual(Object.keys(services).sort(), [
      'postgresql',
      'temporal',
      'temporal-search-attributes',
      'temporal-ui',
    ]);
    for (const service of Object.values(services)) assert.match(service.image, /:[0-9][^:]*$/);
    assert.ok(services.temporal?.ports?.includes('7233:7233'));
    assert.ok(services['temporal-ui']?.ports?.includes('8080:8080'));
    assert.equal(services.temporal?.environment?.DB, 'postgres12');
    assert.equal(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
  });

  it("points the Web UI at the API's codec server", () => {
    assert.match(
      services()['temporal-ui']?.environment?.TEMPORAL_CODEC_ENDPOINT ?? '',
      /^http:\/\/localhost:3000\/codec$/,
    );
  });

  it('stops the one-shot at the first failed registration instead of hiding it', () => {
    // What it registers is proven by running it: test/temporal/register.test.ts.
    const script = compose.services['temporal-search-attributes']?.command?.join(' ') ?? '';
    assert.match(script, /^set -e;/);
    assert.doesNotMatch(script, /(;|\|\|)\s*true\b/);
  });
});
