import express, { type Response } from 'express';
import { z } from 'zod';
import type { SandboxChannel } from './inbox';

/** SPEC §8: what the next `count` requests on a channel get instead of the normal answer. */
const faultSchema = z.strictObject({
  channel: z.enum(['sms', 'email', 'push']),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  retryAfter: z.number().min(0).optional(),
  count: z.number().int().min(1).max(100_000).default(1),
  /** Only requests addressed to this recipient (phone, email or push token); absent: any. */
  to: z.string().min(1).optional(),
});
export type Fault = z.infer<typeof faultSchema>;

export class FaultPlans {
  private readonly plans: Fault[] = [];

  add(fault: Fault): void {
    this.plans.push({ ...fault });
  }

  /** The fault the next request on `channel` gets, if any; plans for a channel apply in the order given. */
  take(channel: SandboxChannel, to: readonly string[]): Fault | undefined {
    const index = this.plans.findIndex((p) => p.channel === channel && (p.to === undefined || to.includes(p.to)));
    const plan = this.plans[index];
    if (!plan) return undefined;
    plan.count -= 1;
    if (plan.count <= 0) this.plans.splice(index, 1);
    return plan;
  }

  list(): Fault[] {
    return [...this.plans];
  }

  clear(): void {
    this.plans.length = 0;
  }
}

export function faultRoutes(plans: FaultPlans): express.Router {
  const router = express.Router();
  router.post('/sandbox/faults', express.json(), (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    plans.add(parsed.data);
    res.status(201).json({ faults: plans.list() });
  });
  router.get('/sandbox/faults', (_req, res) => {
    res.json({ faults: plans.list() });
  });
  router.delete('/sandbox/faults', (_req, res) => {
    plans.clear();
    res.status(204).end();
  });
  return router;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays the next fault planned for `channel`: waits its latency and sets its Retry-After on `res`; returns
 * the error to answer with (the planned body, or the provider-shaped `defaultBody`), or undefined to go on.
 */
export async function playFault(
  faults: FaultPlans,
  channel: SandboxChannel,
  to: readonly string[],
  res: Response,
  defaultBody: (status: number) => unknown,
): Promise<{ status: number; body: unknown } | undefined> {
  const fault = faults.take(channel, to);
  if (!fault) return undefined;
  await sleep(fault.latencyMs);
  if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
  return fault.status === undefined
    ? undefined
    : { status: fault.status, body: fault.body ?? defaultBody(fault.status) };
}
