import type { SandboxInbox, SandboxMessage } from './inbox';

type SandboxTally = ReturnType<SandboxInbox['tally']>;

/**
 * Emails to distinct recipients under one prefix: the sandbox counts requests per recipient, so each message's
 * deliveries can be told apart in a batch of thousands.
 */
export const countableEmails = (prefix: string, count: number, domain: string) =>
  Array.from({ length: count }, (_, i) => ({
    messageId: `${prefix}-${i}`,
    recipient: { email: `${prefix}-${i}@${domain}` },
    content: { email: { subject: `Message ${i} of ${prefix}`, text: 'Counted once per recipient.' } },
  }));

/** What a running sandbox received, read over its inspection routes (tests and benchmarks). */
export function sandboxClient(baseUrl: string) {
  const get = async <T>(route: string, query: Record<string, string | undefined>): Promise<T> => {
    const defined = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const response = await fetch(`${baseUrl}${route}?${new URLSearchParams(defined).toString()}`);
    if (!response.ok) throw new Error(`sandbox ${route}: ${response.status}`);
    return (await response.json()) as T;
  };

  const messages = async (filter: { channel?: string; to?: string }) =>
    (await get<{ messages: SandboxMessage[] }>('/sandbox/messages', filter)).messages;

  /** Per recipient starting with `toPrefix` (lower-cased): requests the sandbox accepted and refused. */
  const tally = (channel: string, toPrefix: string) => get<SandboxTally>('/sandbox/tally', { channel, toPrefix });

  return {
    messages,
    tally,

    /** Of the expected recipients: those never accepted, extra acceptances, and refused requests. */
    async audit(channel: string, toPrefix: string, recipients: string[]) {
      const { accepted, refused } = await tally(channel, toPrefix);
      const count = (to: string) => accepted[to.toLowerCase()] ?? 0;
      const missing = recipients.filter((to) => count(to) === 0);
      return {
        delivered: recipients.length - missing.length,
        missing,
        duplicates: recipients.reduce((sum, to) => sum + Math.max(0, count(to) - 1), 0),
        refusals: Object.values(refused).reduce((a, b) => a + b, 0),
      };
    },

    /** When the sandbox first accepted a message for each recipient under the prefix (lower-cased). */
    async firstAcceptances(channel: string, toPrefix: string): Promise<Map<string, number>> {
      const arrivals = new Map<string, number>();
      const prefix = toPrefix.toLowerCase();
      for (const m of await messages({ channel })) {
        if (m.response.status >= 300) continue;
        for (const to of m.to.map((a) => a.toLowerCase()).filter((a) => a.startsWith(prefix)))
          arrivals.set(to, Math.min(Date.parse(m.receivedAt), arrivals.get(to) ?? Infinity));
      }
      return arrivals;
    },
  };
}

export type SandboxClient = ReturnType<typeof sandboxClient>;
