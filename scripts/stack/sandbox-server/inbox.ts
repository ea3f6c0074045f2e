import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

export type SandboxChannel = 'sms' | 'email' | 'push';

/** One request a provider SDK made to the sandbox, kept as received so tests can check what the SDK really sent. */
export interface SandboxMessage {
  id: string;
  channel: SandboxChannel;
  provider: 'twilio' | 'postmark' | 'fcm';
  to: string[];
  receivedAt: string;
  providerMessageId?: string;
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; body: unknown };
}

export interface InboxFilter {
  channel?: string;
  to?: string;
}

/** In memory on purpose: the sandbox stands in for a provider, and a restart is a clean inbox. Bounded so a benchmark cannot exhaust memory. */
export class SandboxInbox {
  private readonly messages: SandboxMessage[] = [];

  constructor(private readonly capacity = 100_000) {}

  add(message: Omit<SandboxMessage, 'id' | 'receivedAt'>): SandboxMessage {
    const stored = { id: randomUUID(), receivedAt: new Date().toISOString(), ...message };
    this.messages.push(stored);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    return stored;
  }

  list(filter: InboxFilter = {}): SandboxMessage[] {
    const to = filter.to?.toLowerCase();
    return this.messages.filter(
      (m) =>
        (filter.channel === undefined || m.channel === filter.channel) &&
        (to === undefined || m.to.some((addr) => addr.toLowerCase() === to)),
    );
  }

  /**
   * Per recipient, how many requests the sandbox accepted (2xx) and refused: what a load or fault test counts,
   * without shipping thousands of full requests.
   */
  tally(filter: { channel?: string; toPrefix: string }): Record<'accepted' | 'refused', Record<string, number>> {
    const result = { accepted: {} as Record<string, number>, refused: {} as Record<string, number> };
    const prefix = filter.toPrefix.toLowerCase();
    for (const m of this.messages) {
      if (filter.channel !== undefined && m.channel !== filter.channel) continue;
      const bucket = m.response.status < 300 ? result.accepted : result.refused;
      for (const to of m.to.map((addr) => addr.toLowerCase()).filter((addr) => addr.startsWith(prefix)))
        bucket[to] = (bucket[to] ?? 0) + 1;
    }
    return result;
  }

  clear(): void {
    this.messages.length = 0;
  }
}

/**
 * How one provider API answers: the request is kept in the inbox as the SDK sent it (its credential header
 * redacted: keep its presence, not its value), then answered with the given status and body.
 */
export function providerAnswer(
  inbox: SandboxInbox,
  api: {
    channel: SandboxChannel;
    provider: SandboxMessage['provider'];
    recipients: (req: Request) => string[];
    credentialHeader: string;
  },
) {
  return (req: Request, res: Response, status: number, body: unknown, providerMessageId?: string) => {
    inbox.add({
      channel: api.channel,
      provider: api.provider,
      to: api.recipients(req),
      providerMessageId,
      request: {
        method: req.method,
        path: req.path,
        headers: { ...(req.headers as Record<string, string>), [api.credentialHeader]: '[redacted]' },
        body: req.body,
      },
      response: { status, body },
    });
    res.status(status).json(body);
  };
}
