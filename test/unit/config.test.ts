import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

const minimal = { ADMIN_API_KEY: 'a'.repeat(20), POSTMARK_SERVER_TOKEN: 'token' };

describe('configuration from the environment', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    assert.equal(config.PORT, 3000);
    assert.equal(config.TEMPORAL_ADDRESS, 'localhost:7233');
    assert.deepEqual(config.KAFKA_BROKERS, ['localhost:9092']);
    assert.equal(config.POSTMARK_API_URL, 'https://api.postmarkapp.com');
  });

  it('names every bad variable in one error, without echoing secret values', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          ADMIN_API_KEY: 'short-secret',
          KAFKA_BROKERS: 'a:1,b',
          MONGODB_URI: 'postgres://x',
          POSTMARK_API_URL: 'ftp://x',
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        for (const name of [
          'PORT',
          'ADMIN_API_KEY',
          'KAFKA_BROKERS',
          'MONGODB_URI',
          'POSTMARK_API_URL',
          'POSTMARK_SERVER_TOKEN',
        ]) {
          assert.match(err.message, new RegExp(`\\b${name}\\b`));
        }
        assert.doesNotMatch(err.message, /short-secret/);
        return true;
      },
    );
  });

  it('splits a broker list', () => {
    assert.deepEqual(loadConfig({ ...minimal, KAFKA_BROKERS: 'k1:9092, k2:9092' }).KAFKA_BROKERS, [
      'k1:9092',
      'k2:9092',
    ]);
  });

  it('leaves the workflow cache to the SDK unless WORKFLOW_CACHE_SIZE is a whole number ≥ 0', () => {
    assert.equal(loadConfig(minimal).WORKFLOW_CACHE_SIZE, undefined);
    assert.equal(loadConfig({ ...minimal, WORKFLOW_CACHE_SIZE: '500' }).WORKFLOW_CACHE_SIZE, 500);
    assert.equal(loadConfig({ ...minimal, WORKFLOW_CACHE_SIZE: '0' }).WORKFLOW_CACHE_SIZE, 0);
    for (const bad of ['-1', '2.5', 'many'])
      assert.throws(() => loadConfig({ ...minimal, WORKFLOW_CACHE_SIZE: bad }), /WORKFLOW_CACHE_SIZE/);
  });

  it('keeps acceptance lookups for 1 s unless ACCEPTANCE_CACHE_MS says otherwise (0 to 60,000 ms)', () => {
    assert.equal(loadConfig(minimal).ACCEPTANCE_CACHE_MS, 1000);
    assert.equal(loadConfig({ ...minimal, ACCEPTANCE_CACHE_MS: '0' }).ACCEPTANCE_CACHE_MS, 0);
    for (const bad of ['-1', '60001', 'soon'])
      assert.throws(() => loadConfig({ ...minimal, ACCEPTANCE_CACHE_MS: bad }), /ACCEPTANCE_CACHE_MS/);
  });
});
