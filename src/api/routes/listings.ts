import express, { type Router } from 'express';
import type { ApiKeyStore } from '../../clients/api-keys';
import type { ProfileStore } from '../../clients/profiles';
import type { DeliveryRecordStore } from '../../deliveries/records';
import { notFound } from '../http-error';
import { listingCursors, listingScope } from '../listing-cursor';
import { clientListQuery, messageListQuery } from '../listing-schemas';
import { identifierParam, parseQuery } from '../validate';

export interface ListingRoutesDeps {
  listDeliveryRecords: DeliveryRecordStore['listDeliveryRecords'];
  profiles: Pick<ProfileStore, 'listProfiles' | 'findProfile'>;
  apiKeys: Pick<ApiKeyStore, 'listApiKeys'>;
  /** Derives the cursors' signing key, shared by every API replica. */
  adminApiKey: string;
}

const iso = (date: Date | undefined) => date?.toISOString();

/**
 * A client's messages (per channel, in primary-key order, messages still waiting included) and, for the admin,
 * the clients and a client's keys. Mounted after the key checks: `/v1/messages` is a client's, `/v1/admin` the
 * admin's.
 */
export function listingRoutes(deps: ListingRoutesDeps): Router {
  const router = express.Router();
  const cursors = listingCursors(deps.adminApiKey);

  router.get('/v1/messages', async (req, res) => {
    const clientId = res.locals.clientId as string;
    const query = parseQuery(messageListQuery, req.query);
    const scope = listingScope('messages', clientId, query.state, query.channel, query.since, query.until);
    const after = query.cursor === undefined ? undefined : cursors.open(scope, query.cursor);
    const filter = {
      state: query.state,
      channel: query.channel,
      since: query.since === undefined ? undefined : new Date(query.since),
      until: query.until === undefined ? undefined : new Date(query.until),
    };
    const page = await deps.listDeliveryRecords(clientId, filter, query.limit, after);
    res.json({
      items: page.records.map((record) => ({
        messageId: record.messageId,
        workflowId: record.workflowId,
        channel: record.channel,
        state: record.state,
        acceptedAt: record.acceptedAt.toISOString(),
        updatedAt: record.updatedAt.toISOString(),
        notBefore: iso(record.notBefore),
        attempts: record.attempts,
        providerMessageId: record.providerMessageId,
        lastError: record.lastError,
        statusUrl: `/v1/messages/${encodeURIComponent(record.messageId)}`,
      })),
      nextCursor: page.after === undefined ? null : cursors.issue(scope, page.after),
    });
  });

  router.get('/v1/admin/clients', async (req, res) => {
    const query = parseQuery(clientListQuery, req.query);
    const scope = listingScope('clients');
    const after = query.cursor === undefined ? undefined : cursors.open(scope, query.cursor);
    const { profiles, more } = await deps.profiles.listProfiles(query.limit, after);
    const last = profiles.at(-1);
    res.json({
      items: profiles.map((doc) => ({
        clientId: doc._id,
        name: doc.profile.name,
        revision: doc.revision,
        createdAt: doc.createdAt.toISOString(),
        updatedAt: doc.updatedAt.toISOString(),
      })),
      nextCursor: more && last ? cursors.issue(scope, last._id) : null,
    });
  });

  router.get('/v1/admin/clients/:clientId/keys', async (req, res) => {
    const clientId = identifierParam('clientId', req.params.clientId);
    const keys = await deps.apiKeys.listApiKeys(clientId);
    // Keys outlive a deleted profile (they can still be revoked); a client with neither is unknown.
    if (keys.length === 0 && !(await deps.profiles.findProfile(clientId))) throw notFound('client not found');
    res.json({
      items: keys.map((key) => ({
        keyId: key.keyId,
        createdAt: key.createdAt.toISOString(),
        lastUsedAt: iso(key.lastUsedAt),
        revokedAt: iso(key.revokedAt),
      })),
    });
  });

  return router;
}
