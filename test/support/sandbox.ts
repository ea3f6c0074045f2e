import type { SandboxMessage } from '../../src/sandbox/inbox';
import { eventually } from './http';
import { sandboxUrl } from './harness';

export async function sandboxMessages(filter: { channel?: string; to?: string }): Promise<SandboxMessage[]> {
  const query = new URLSearchParams(filter as Record<string, string>);
  const response = await fetch(`${sandboxUrl}/sandbox/messages?${query.toString()}`);
  return ((await response.json()) as { messages: SandboxMessage[] }).messages;
}

export const acceptedBySandbox = (filter: { channel?: string; to?: string }, timeoutMs?: number) =>
  eventually(
    async () => {
      const accepted = (await sandboxMessages(filter)).filter((m) => m.response.status < 300);
      return accepted.length > 0 ? accepted : undefined;
    },
    `the sandbox to accept a message for ${filter.to}`,
    timeoutMs,
  );

export type SandboxTally = Record<'accepted' | 'refused', Record<string, number>>;

/** Per recipient starting with `toPrefix`: requests the sandbox accepted and refused. */
export async function sandboxTally(channel: string, toPrefix: string): Promise<SandboxTally> {
  const query = new URLSearchParams({ channel, toPrefix });
  return (await (await fetch(`${sandboxUrl}/sandbox/tally?${query.toString()}`)).json()) as SandboxTally;
}
