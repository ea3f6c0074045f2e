import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { errorMiddleware } from '../../src/api/error-middleware';
import { clientRateLimit } from '../../src/api/rate-limit';

describe('Send API rate limit per client key', () => {
  it('answers 429 with Retry-After and the error shape past the limit, counting each client apart', async () => {
    const app = express()
      .use((req, res, next) => {
        res.locals.clientId = req.header('x-client');
        next();
      })
      .use(clientRateLimit(3))
      .get('/', (_req, res) => {
        res.json({ ok: true });
      })
      .use(errorMiddleware(pino({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(url, { headers: { 'x-client': 'a' } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const limited = await fetch(url, { headers: { 'x-client': 'a' } });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      const body = (await limited.json()) as { error: { code: string; details: unknown[] } };
      assert.equal(body.error.code, 'rate_limited');
      assert.deepEqual(body.error.details, []);
      assert.equal(
        (await fetch(url, { headers: { 'x-client': 'b' } })).status,
        200,
        'another client has its own budget',
      );
    } finally {
      server.close();
    }
  });
});
