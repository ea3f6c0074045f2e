import express, { type Router } from 'express';
import { acceptMessage, type AcceptDeps } from '../../messages/accept-message';
import { cancelMessage } from '../../messages/cancel-message';
import { withImpliedChannel } from '../../messages/implied-channel';
import { messageSchema } from '../../messages/message-schema';
import { channels, type Channel } from '../../shared/channels';
import type { MessageStatus } from '../../shared/message';
import { messageWorkflowId } from '../../shared/temporal-names';
import { assertSameClient } from '../auth';
import { badRequest, notFound } from '../http-error';
import { identifierParam, parseBody } from '../validate';

export interface MessageRoutesDeps extends AcceptDeps {
  maxRequestBytes: number;
  currentStatus: (clientId: string, messageId: string) => Promise<MessageStatus | undefined>;
}

/** Names the message in the access-log line; returns the key's client. */
const identify = (res: express.Response, messageId: string): string => {
  const clientId = res.locals.clientId as string;
  Object.assign(res.locals, { messageId, workflowId: messageWorkflowId(clientId, messageId) });
  return clientId;
};

const statusUrl = (messageId: string) => `/v1/messages/${encodeURIComponent(messageId)}`;

/** SPEC §2: the Send API. `res.locals.clientId` was set by the API-key check. */
export function messageRoutes(deps: MessageRoutesDeps): Router {
  const router = express.Router();
  const json = express.json({ limit: deps.maxRequestBytes, strict: true });

  const send = (impliedChannel?: Channel) =>
    [
      json,
      async (req: express.Request, res: express.Response) => {
        const clientId = res.locals.clientId as string;
        const request = parseBody(messageSchema, req.body);
        assertSameClient(clientId, request.clientId);
        const implied = withImpliedChannel(request, impliedChannel);
        if (!implied.ok) {
          throw badRequest(`this endpoint sends ${impliedChannel} only`, [{ path: 'channels', issue: implied.issue }]);
        }
        const { acceptance } = await acceptMessage(deps, clientId, implied.request);
        Object.assign(res.locals, { messageId: acceptance.messageId, workflowId: acceptance.workflowId });
        res.status(202).json({ ...acceptance, statusUrl: statusUrl(acceptance.messageId) });
      },
    ] as const;

  router.post('/v1/messages', ...send());
  for (const channel of channels) router.post(`/v1/messages/${channel}`, ...send(channel));

  router.get('/v1/messages/:messageId', async (req, res) => {
    const messageId = identifierParam('messageId', req.params.messageId);
    const status = await deps.currentStatus(identify(res, messageId), messageId);
    if (!status) throw notFound(`message ${messageId} not found`);
    res.json({ ...status, statusUrl: statusUrl(messageId) });
  });

  router.delete('/v1/messages/:messageId', async (req, res) => {
    const messageId = identifierParam('messageId', req.params.messageId);
    const clientId = identify(res, messageId);
    const status = await cancelMessage(deps.temporal, clientId, messageId, deps.currentStatus);
    if (!status) throw notFound(`message ${messageId} not found`);
    res.json({ ...status, statusUrl: statusUrl(messageId) });
  });

  return router;
}
