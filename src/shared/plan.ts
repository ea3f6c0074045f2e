/** Why a channel may go now or must wait: the clock, the rule and the blackouts behind its `notBefore`. */
export interface WindowDetail {
  zone: string;
  clock: 'client' | 'recipient' | 'client (recipient has no timezone)';
  rule?: string;
  blackouts?: { from: string; to: string }[];
  explanation: string;
}

/** What to do with one channel now, and why; every field is plain JSON so it can be recorded in history. */
export type ChannelPlan =
  | { action: 'send'; sendBefore?: string; window?: WindowDetail }
  | { action: 'wait'; notBefore: string; window: WindowDetail }
  | { action: 'reject'; reason: string; window?: WindowDetail }
  | { action: 'expire'; reason: string; window?: WindowDetail };
