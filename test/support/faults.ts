import { sandboxUrl } from './harness';

export interface FaultPlan {
  channel: 'sms' | 'email' | 'push';
  status?: number;
  body?: unknown;
  latencyMs?: number;
  retryAfter?: number;
  count?: number;
  /** Only requests to this recipient (phone, email or device token). */
  to?: string;
}

export async function planFault(plan: FaultPlan): Promise<void> {
  const response = await fetch(`${sandboxUrl}/sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  if (response.status !== 201) throw new Error(`fault plan refused: ${await response.text()}`);
}

export const clearFaults = () => fetch(`${sandboxUrl}/sandbox/faults`, { method: 'DELETE' });
