import express, { type Router } from 'express';
import type { ApiKeyStore } from '../../clients/api-keys';
import { redactProfile, type ProfileStore } from '../../clients/profiles';
import { profileSchema } from '../../shared/profile-schema';
import { badRequest, notFound } from '../http-error';
import { identifierParam, parseBody } from '../validate';

export interface AdminRoutesDeps {
  profiles: ProfileStore;
  apiKeys: ApiKeyStore;
  maxRequestBytes: number;
  /** Called after a profile was written or removed; must not throw. */
  onProfileChanged: (clientId: string) => void;
  /** Called before answering a change to a client's profile or keys, so that this process never serves the old one. */
  forgetClient: (clientId: string) => void;
}

/** SPEC §3 admin API; mounted behind the admin key. */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const { profiles, apiKeys, onProfileChanged, forgetClient } = deps;
  const router = express.Router();
  const json = express.json({ limit: deps.maxRequestBytes, strict: true });

  router.put('/v1/admin/clients/:clientId', json, async (req, res) => {
    const clientId = identifierParam('clientId', req.params.clientId);
    const profile = parseBody(profileSchema, req.body);
    if (profile.clientId !== undefined && profile.clientId !== clientId) {
      throw badRequest('clientId in the body differs from the path', [
        { path: 'clientId', issue: 'must match the path' },
      ]);
    }
    const saved = { ...profile, clientId };
    const { created, revision } = await profiles.saveProfile(saved);
    forgetClient(clientId);
    res.status(created ? 201 : 200).json({ ...redactProfile(saved), revision });
    if (!created) onProfileChanged(clientId);
  });

  router.get('/v1/admin/clients/:clientId', async (req, res) => {
    const profile = await profiles.findProfile(identifierParam('clientId', req.params.clientId));
    if (!profile) throw notFound('client not found');
    res.json(redactProfile(profile));
  });

  router.delete('/v1/admin/clients/:clientId', async (req, res) => {
    const clientId = identifierParam('clientId', req.params.clientId);
    if (!(await profiles.deleteProfile(clientId))) throw notFound('client not found');
    forgetClient(clientId);
    res.status(204).end();
    onProfileChanged(clientId);
  });

  router.post('/v1/admin/clients/:clientId/keys', async (req, res) => {
    const clientId = identifierParam('clientId', req.params.clientId);
    if (!(await profiles.findProfile(clientId))) throw notFound('client not found');
    res.status(201).json(await apiKeys.issueApiKey(clientId));
  });

  router.delete('/v1/admin/clients/:clientId/keys/:keyId', async (req, res) => {
    const clientId = identifierParam('clientId', req.params.clientId);
    if (!(await apiKeys.revokeApiKey(clientId, String(req.params.keyId)))) {
      throw notFound('key not found or already revoked');
    }
    forgetClient(clientId);
    res.status(204).end();
  });

  return router;
}
