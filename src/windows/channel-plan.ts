import { DateTime, Duration } from 'luxon';
import type { ChannelWindow, ClientProfile } from '../shared/profile-schema';
import type { Channel } from '../shared/channels';
import type { Priority } from '../shared/message';
import type { ChannelPlan, WindowDetail } from '../shared/plan';
import { evaluateWindow } from './window-engine';

export interface PlanInput {
  profile: ClientProfile;
  channel: Channel;
  recipientTimezone?: string;
  priority: Priority;
  expiresAt?: string;
  acceptedAt: string;
  /** Epoch ms; the workflow passes its own deterministic clock. */
  now: number;
  /**
   * The channel was accepted and began sending, then an attempt found its window closed. `outside: "reject"` is
   * an acceptance-time choice (SPEC §3): such a channel waits for the next opening instead.
   */
  afterWindowClosed?: boolean;
}

const isoOf = (ms: number) => new Date(ms).toISOString();
const localText = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat("ccc yyyy-LL-dd HH:mm '('ZZ')'");

function clockZone(input: PlanInput): Pick<WindowDetail, 'zone' | 'clock'> {
  const { profile, recipientTimezone } = input;
  if (profile.windowClock !== 'recipient') return { zone: profile.timezone, clock: 'client' };
  if (recipientTimezone !== undefined) return { zone: recipientTimezone, clock: 'recipient' };
  return { zone: profile.timezone, clock: 'client (recipient has no timezone)' };
}

const ruleText = (window: ChannelWindow, index: number | undefined) => {
  const rule = index === undefined ? undefined : window.rules[index];
  return rule && `rule ${(index ?? 0) + 1}: ${rule.days.join(',')} ${rule.from}–${rule.to}`;
};

/** The earliest of maxDefer (counted from acceptance) and expiresAt, with the name of the bound that set it. */
function deadline(input: PlanInput, window: ChannelWindow): { at: number; what: string } | undefined {
  const bounds: { at: number; what: string }[] = [];
  if (window.maxDefer !== undefined) {
    const at = Date.parse(input.acceptedAt) + Duration.fromISO(window.maxDefer).toMillis();
    bounds.push({ at, what: `maxDefer ${window.maxDefer} (until ${isoOf(at)})` });
  }
  if (input.expiresAt !== undefined)
    bounds.push({ at: Date.parse(input.expiresAt), what: `expiresAt ${input.expiresAt}` });
  return bounds.sort((a, b) => a.at - b.at)[0];
}

/**
 * SPEC §3 for one channel of one message at `now`: send, wait until `notBefore`, reject, or expire.
 * Pure: the same input always gives the same plan.
 */
export function planChannel(input: PlanInput): ChannelPlan {
  const { profile, channel, now } = input;
  if (input.expiresAt !== undefined && now >= Date.parse(input.expiresAt)) {
    return { action: 'expire', reason: `the message expired at ${input.expiresAt} before ${channel} could be sent` };
  }
  const settings = profile.channels[channel];
  if (settings?.enabled !== true) {
    return { action: 'reject', reason: `channel ${channel} is not enabled for client ${profile.clientId}` };
  }
  const window = settings.window;
  const sendBefore = input.expiresAt;
  if (window === undefined) return { action: 'send', sendBefore };
  if (input.priority === 'urgent' && profile.allowUrgentBypass) {
    const { zone, clock } = clockZone(input);
    return {
      action: 'send',
      sendBefore,
      window: { zone, clock, explanation: 'urgent: the client lets urgent messages bypass windows' },
    };
  }

  const { zone, clock } = clockZone(input);
  const result = evaluateWindow(window, zone, now);
  const rule = ruleText(window, result.rule);
  const detail = (explanation: string): WindowDetail => ({
    zone,
    clock,
    ...(rule ? { rule } : {}),
    ...(result.blackoutsSkipped.length > 0 ? { blackouts: result.blackoutsSkipped } : {}),
    explanation,
  });

  if (result.open) {
    const closes = result.closesAt;
    const bound = [closes, sendBefore === undefined ? undefined : Date.parse(sendBefore)]
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b)[0];
    return {
      action: 'send',
      sendBefore: bound === undefined ? undefined : isoOf(bound),
      window: detail(`open by ${rule} in ${zone}${closes ? ` until ${localText(closes, zone)}` : ''}`),
    };
  }
  if (window.outside === 'reject' && input.afterWindowClosed !== true) {
    return {
      action: 'reject',
      reason: `outside the ${channel} window in ${zone} and the client rejects rather than defers`,
      window: detail('closed; outside: reject'),
    };
  }
  if (result.opensAt === undefined) {
    return {
      action: 'expire',
      reason: `the ${channel} window does not open within two years`,
      window: detail('never opens'),
    };
  }
  const opening = `${localText(result.opensAt, zone)} by ${rule} in ${zone}`;
  const bound = deadline(input, window);
  if (bound !== undefined && result.opensAt > bound.at) {
    return {
      action: 'expire',
      reason: `the next ${channel} opening, ${opening}, is later than ${bound.what}`,
      window: detail(`next opening ${opening} is past ${bound.what}`),
    };
  }
  const skipped = result.blackoutsSkipped.map((b) => `${b.from}..${b.to}`).join(', ');
  return {
    action: 'wait',
    notBefore: isoOf(result.opensAt),
    window: detail(`waits for ${opening}${skipped ? `; blackout ${skipped} skipped` : ''}`),
  };
}
