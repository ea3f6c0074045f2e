import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { requireToken } from '../auth';
import { parseBody } from '../validate';

export interface CodecRoutesDeps {
  codec: PayloadCodec;
  /** Bearer token support staff configure in the Web UI (Settings → Codec Server → pass access token). */
  token: string;
  /** The Web UI's origin, allowed to call from the browser. */
  corsOrigin?: string;
  maxRequestBytes: number;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** The codec-server protocol of Temporal's UI and CLI: payloads as JSON, bytes in base64. */
const payloadsSchema = z.strictObject({
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
  (origin: string | undefined): RequestHandler =>
  (req, res, next) => {
    if (origin !== undefined && req.header('origin') === origin) {
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
  router.use('/codec', cors(deps.corsOrigin), requireToken(deps.token, 'codec server token'));
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
