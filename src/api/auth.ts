import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { forbidden, unauthorized } from './http-error';

const bearer = (header: string | undefined) => /^Bearer (\S+)$/.exec(header ?? '')?.[1];

/** A fixed bearer token (the admin key, the codec server's token), compared in constant time. */
export function requireToken(token: string, what: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    const given = Buffer.from(bearer(req.header('authorization')) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    next(unauthorized(`missing or invalid ${what}`));
  };
}

const loopback = /^(127\.|::1$|::ffff:127\.)/;

/** The peer is this machine. Behind a reverse proxy every caller is; so only for the local stack. */
export const requireLoopback: RequestHandler = (req, _res, next) => {
  if (loopback.test(req.socket.remoteAddress ?? '')) return next();
  next(forbidden('the codec server answers callers on this machine only'));
};

/** Resolves the calling client from its API key; every client route reads `res.locals.clientId`. */
export function requireClient(clientForApiKey: (key: string) => Promise<string | undefined>): RequestHandler {
  return async (req, res, next) => {
    const key = bearer(req.header('authorization'));
    const clientId = key === undefined ? undefined : await clientForApiKey(key);
    if (clientId === undefined) return next(unauthorized());
    res.locals.clientId = clientId;
    next();
  };
}

export const assertSameClient = (fromKey: string, fromBody: string | undefined) => {
  if (fromBody !== undefined && fromBody !== fromKey)
    throw forbidden('clientId in the body does not match the API key');
};
