import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { healthRoutes } from '../../src/health/health-routes';
import assert from 'node:assert/strict';
import { call } from '../support/http';

describe('health endpoints', () => {
  it('live answers 200', async () => {
    const response = await call('GET', '/health/live');
    assert.equal(response.status, 200);
  });

  it('ready answers 200 when Temporal and MongoDB answer: the API uses no Kafka', async () => {
    const response = await call('GET', '/health/ready');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(Object.keys(response.body.checks).sort(), ['mongodb', 'temporal']);
  });
});

describe('readiness when a dependency does not answer', () => {
  it('answers 503 naming the dependency that failed and the one that hung', async () => {
    const app = express().use(
      healthRoutes({
        temporal: () => Promise.resolve(),
        mongodb: () => Promise.reject(new Error('connection refused')),
        kafka: () => new Promise<void>(() => undefined),
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      const body = (await response.json()) as { checks: Record<string, { status: string; error?: string }> };
      assert.equal(response.status, 503);
      assert.equal(body.checks.temporal?.status, 'ok');
      assert.deepEqual(body.checks.mongodb, { status: 'down', error: 'connection refused' });
      assert.equal(body.checks.kafka?.status, 'down');
      assert.match(body.checks.kafka?.error ?? '', /no answer/);
    } finally {
      server.close();
    }
  });
});
