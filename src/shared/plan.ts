/** Why a channel may go now or must wait: the clock, the rule and the blackouts behind its `notBefore`. */
export interface WindowDetail {
  zone: string;
  clock: 'client' | 'recipient' | 'client (recipient has no timezone)';
  rule?: string;
  blackouts?: { from: string; to: string; name?: string }[];
  /** The layer that set `notBefore` or closed the channel: `category marketing`, `preset us-tcpa`; absent: the channel's window. */
  layer?: string;
  /** Where the recipient is taken to be and why, the number masked (issue 18). */
  recipient?: string;
  explanation: string;
}

/** A frequency cap to hold before the provider call, with the layer it came from (issue 18). */
export interface PlanCap {
  max: number;
  per: string;
  scope: 'category' | 'channel';
  source: string;
}

/** What to do with one channel now, and why; every field is plain JSON so it can be recorded in history. */
export type ChannelPlan =
  | { action: 'send'; sendBefore?: string; window?: WindowDetail; caps?: PlanCap[] }
  | { action: 'wait'; notBefore: string; window: WindowDetail }
  | { action: 'reject'; reason: string; window?: WindowDetail }
  | { action: 'expire'; reason: string; window?: WindowDetail };
