import assert from 'node:assert/strict';
import {
  ConfigError,
  configuredChannels,
  loadApiConfig,
  loadBridgeConfig,
  loadConfig,
  loadWorkerConfig,
  resolvedWorkerRoles,
} from '../../src/config';

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

  it('keeps delivery records forever unless DELIVERY_RECORD_RETENTION is an ISO-8601 duration', () => {
    assert.equal(loadWorkerConfig(minimal).DELIVERY_RECORD_RETENTION, undefined);
    assert.equal(loadWorkerConfig({ ...minimal, DELIVERY_RECORD_RETENTION: 'P90D' }).DELIVERY_RECORD_RETENTION, 'P90D');
    for (const bad of ['90 days', 'P', 'PT0S'])
      assert.throws(
        () => loadWorkerConfig({ ...minimal, DELIVERY_RECORD_RETENTION: bad }),
        /DELIVERY_RECORD_RETENTION/,
      );
  });
});

describe('configuration per process role', () => {
  const twilio = { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'twilio-token' };

  it('starts a worker and a bridge without the admin key or secrets they never use', () => {
    assert.equal(loadWorkerConfig({ POSTMARK_SERVER_TOKEN: 'token' }).TEMPORAL_TASK_QUEUE, 'deliveries');
    assert.equal(loadBridgeConfig({}).KAFKA_GROUP_ID, 'communication-bridge');
    assert.equal(loadApiConfig({ ADMIN_API_KEY: 'a'.repeat(20) }).PORT, 3000);
  });

  it('does not validate what another role reads', () => {
    assert.doesNotThrow(() => loadWorkerConfig({ POSTMARK_SERVER_TOKEN: 'token', PORT: 'eighty', ADMIN_API_KEY: 'x' }));
    assert.doesNotThrow(() => loadApiConfig({ ADMIN_API_KEY: 'a'.repeat(20), KAFKA_BROKERS: 'not a broker' }));
  });

  it('runs every configured queue by default, and only the roles WORKER_ROLES names', () => {
    assert.deepEqual(resolvedWorkerRoles(loadWorkerConfig({ POSTMARK_SERVER_TOKEN: 'token' })), ['workflows', 'email']);
    assert.deepEqual(resolvedWorkerRoles(loadWorkerConfig({ POSTMARK_SERVER_TOKEN: 'token', ...twilio })), [
      'workflows',
      'email',
      'sms',
    ]);
    assert.deepEqual(resolvedWorkerRoles(loadWorkerConfig({ WORKER_ROLES: 'workflows' })), ['workflows']);
    assert.deepEqual(
      resolvedWorkerRoles(loadWorkerConfig({ WORKER_ROLES: 'sms, push', ...twilio, FCM_PROJECT_ID: 'p' })),
      ['sms', 'push'],
    );
  });

  it('names the setting a worker role lacks', () => {
    assert.throws(
      () => loadWorkerConfig({ WORKER_ROLES: 'sms' }),
      /TWILIO_ACCOUNT_SID: required by the worker role sms/,
    );
    assert.throws(
      () => loadWorkerConfig({ WORKER_ROLES: 'email' }),
      /POSTMARK_SERVER_TOKEN: required by the worker role email/,
    );
    assert.throws(() => loadWorkerConfig({ WORKER_ROLES: 'workflows,fax' }), /WORKER_ROLES/);
  });

  it('offers the channels CHANNELS names, else those whose provider is configured', () => {
    assert.deepEqual(configuredChannels(loadBridgeConfig({})), ['email']);
    assert.deepEqual(configuredChannels(loadBridgeConfig({ TWILIO_ACCOUNT_SID: twilio.TWILIO_ACCOUNT_SID })), [
      'sms',
      'email',
    ]);
    assert.deepEqual(configuredChannels(loadBridgeConfig({ CHANNELS: 'sms,push' })), ['sms', 'push']);
    assert.throws(() => loadApiConfig({ ADMIN_API_KEY: 'a'.repeat(20), CHANNELS: 'fax' }), /CHANNELS/);
  });

  it('takes client certificates for Temporal and Kafka only with their keys', () => {
    assert.throws(() => loadBridgeConfig({ TEMPORAL_TLS_CERT_FILE: 'c.pem' }), /TEMPORAL_TLS_KEY_FILE/);
    assert.throws(() => loadBridgeConfig({ KAFKA_SSL_CERT_FILE: 'c.pem' }), /KAFKA_SSL_KEY_FILE/);
  });
});
