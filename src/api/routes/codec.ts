import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { requireLoopback, requireToken } from '../auth';
import { parseBody } from '../validate';

/**
 * A bearer token, presented by the proxy that signs staff in before the Web UI (the UI itself sends none
 * without its own OIDC login); or, on the local stack only, any caller on this machine.
 */
export type CodecAccess = { kind: 'token'; token: string } | { kind: 'loopback' };

export interface CodecRoutesDeps {
  codec: PayloadCodec;
  access: CodecAccess;
  /** The Web UI's origins, allowed to call from staff's browsers. */
  corsOrigins: string[];
  maxRequestBytes: number;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** The codec-server protocol of Temporal's UI and CLI: payloads as JSON, bytes in base64. */
export const payloadsSchema = z.strictObject({
  payloads: z.array(z.strictObject({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })),
});
type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

const fromJson = ({ metadata = {}, data = '' }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(data, 'base64'),
});
const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

/** Lets the Web UI (another origin) call the codec server from staff's browsers, and nobody else's pages. */
const cors =
  (origins: string[]): RequestHandler =>
  (req, res, next) => {
    const origin = req.header('origin');
    if (origin !== undefined && origins.includes(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'authorization, content-type, x-namespace',
        'Access-Control-Allow-Credentials': 'true',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };

/** SPEC-less but expected by Temporal's Web UI: `POST /codec/decode` (and `/encode`) for authorised staff. */
export function codecRoutes(deps: CodecRoutesDeps): Router {
  const router = express.Router();
  const access = deps.access.kind === 'token' ? requireToken(deps.access.token, 'codec server token') : requireLoopback;
  router.use('/codec', cors(deps.corsOrigins), access);
  const json = express.json({ limit: deps.maxRequestBytes });
  for (const operation of ['encode', 'decode'] as const) {
    router.post(`/codec/${operation}`, json, async (req, res) => {
      const { payloads } = parseBody(payloadsSchema, req.body);
      const result = await deps.codec[operation](payloads.map(fromJson));
      res.json({ payloads: result.map(toJson) });
    });
  }
  return router;
}
