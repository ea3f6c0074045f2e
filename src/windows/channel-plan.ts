import { DateTime, Duration } from 'luxon';
import type { ClientProfile } from '../shared/profile-schema';
import type { Channel } from '../shared/channels';
import type { Priority } from '../shared/message';
import type { ChannelPlan, WindowDetail } from '../shared/plan';
import { evaluateLayers, type WindowLayer } from './layered-window';

export interface PlanInput {
  profile: ClientProfile;
  channel: Channel;
  recipientTimezone?: string;
  priority: Priority;
  /** The message's category (SPEC §2 with issue 18); absent: `transactional`. */
  category?: string;
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

const ruleText = ({ name, window }: WindowLayer, index: number | undefined) => {
  const rule = index === undefined ? undefined : window.rules[index];
  return rule && `${name ? `${name} ` : ''}rule ${(index ?? 0) + 1}: ${rule.days.join(',')} ${rule.from}–${rule.to}`;
};

/** The earliest of the layers' maxDefer (counted from acceptance) and expiresAt, with the name of the bound. */
function deadline(input: PlanInput, layers: readonly WindowLayer[]): { at: number; what: string } | undefined {
  const bounds: { at: number; what: string }[] = [];
  for (const { name, window } of layers) {
    if (window.maxDefer === undefined) continue;
    const at = Date.parse(input.acceptedAt) + Duration.fromISO(window.maxDefer).toMillis();
    bounds.push({ at, what: `${name ? `${name} ` : ''}maxDefer ${window.maxDefer} (until ${isoOf(at)})` });
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
  // The channel's window, then the category's: the message goes only when both are open (intersection).
  const category = input.category ?? 'transactional';
  const categoryWindow = settings.categories?.[category]?.window;
  const layers: WindowLayer[] = [
    ...(settings.window ? [{ window: settings.window }] : []),
    ...(categoryWindow ? [{ name: `category ${category}`, window: categoryWindow }] : []),
  ];
  const sendBefore = input.expiresAt;
  if (layers.length === 0) return { action: 'send', sendBefore };
  if (input.priority === 'urgent' && profile.allowUrgentBypass) {
    const { zone, clock } = clockZone(input);
    return {
      action: 'send',
      sendBefore,
      window: { zone, clock, explanation: 'urgent: the client lets urgent messages bypass windows' },
    };
  }

  const { zone, clock } = clockZone(input);
  const result = evaluateLayers(layers, zone, now);
  const { evaluation } = result;
  const rule = ruleText(result.decisive, evaluation.rule);
  const detail = (explanation: string): WindowDetail => ({
    zone,
    clock,
    ...(rule ? { rule } : {}),
    ...(evaluation.blackoutsSkipped.length > 0 ? { blackouts: evaluation.blackoutsSkipped } : {}),
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
  const rejecting = result.closedNow.find((layer) => layer.window.outside === 'reject');
  if (rejecting && input.afterWindowClosed !== true) {
    const which = rejecting.name ? `${rejecting.name} window of ${channel}` : `${channel} window`;
    return {
      action: 'reject',
      reason: `outside the ${which} in ${zone} and the client rejects rather than defers`,
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
  const bound = deadline(input, layers);
  if (bound !== undefined && result.opensAt > bound.at) {
    return {
      action: 'expire',
      reason: `the next ${channel} opening, ${opening}, is later than ${bound.what}`,
      window: detail(`next opening ${opening} is past ${bound.what}`),
    };
  }
  const skipped = evaluation.blackoutsSkipped.map((b) => `${b.from}..${b.to}`).join(', ');
  return {
    action: 'wait',
    notBefore: isoOf(result.opensAt),
    window: detail(`waits for ${opening}${skipped ? `; blackout ${skipped} skipped` : ''}`),
  };
}
