import express from 'express';
import { SandboxInbox } from './inbox';
import { renderInboxPage } from './inbox-page';
import { faultRoutes, FaultPlans } from './faults';
import { fcmApi, type FcmApiOptions } from './fcm-api';
import { postmarkApi, type PostmarkApiOptions } from './postmark-api';
import { twilioApi, type TwilioApiOptions } from './twilio-api';

export interface SandboxOptions {
  postmark: PostmarkApiOptions;
  twilio: TwilioApiOptions;
  fcm: FcmApiOptions;
}

const queryString = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function createSandboxApp(
  options: SandboxOptions,
  inbox = new SandboxInbox(),
  faults = new FaultPlans(),
): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/sandbox/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/sandbox/messages', (req, res) => {
    res.json({ messages: inbox.list({ channel: queryString(req.query.channel), to: queryString(req.query.to) }) });
  });
  app.get('/sandbox/tally', (req, res) => {
    res.json(inbox.tally({ channel: queryString(req.query.channel), toPrefix: queryString(req.query.toPrefix) ?? '' }));
  });
  app.delete('/sandbox/messages', (_req, res) => {
    inbox.clear();
    res.status(204).end();
  });
  app.get('/', (_req, res) => {
    res.type('html').send(renderInboxPage(inbox.list()));
  });

  app.use(faultRoutes(faults));
  app.use(postmarkApi(inbox, faults, options.postmark));
  app.use(twilioApi(inbox, faults, options.twilio));
  app.use(fcmApi(inbox, faults, options.fcm));
  return app;
}
