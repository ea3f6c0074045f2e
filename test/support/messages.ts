import { call, eventually } from './http';

/** Polls the status API until the message reaches one of `states` (by default the ends of a sent channel). */
export const finalStatus = (apiKey: string, messageId: string, timeoutMs = 60_000, states = ['delivered', 'failed']) =>
  eventually(
    async () => {
      const body = (await call('GET', `/v1/messages/${messageId}`, { key: apiKey })).body;
      return states.includes(body?.state) ? body : undefined;
    },
    `one of the states ${states.join(', ')}`,
    timeoutMs,
  );
