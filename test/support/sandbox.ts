import { sandboxClient } from '../../scripts/stack/sandbox-server/client';
import { eventually } from './http';
import { sandboxUrl } from './harness';

/** The stack's sandbox, which every test deployment's providers point at. */
export const sandbox = sandboxClient(sandboxUrl);

export const sandboxMessages = sandbox.messages;

export const acceptedBySandbox = (filter: { channel?: string; to?: string }, timeoutMs?: number) =>
  eventually(
    async () => {
      const accepted = (await sandboxMessages(filter)).filter((m) => m.response.status < 300);
      return accepted.length > 0 ? accepted : undefined;
    },
    `the sandbox to accept a message for ${filter.to}`,
    timeoutMs,
  );
