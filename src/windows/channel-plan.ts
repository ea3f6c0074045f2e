import { DateTime, Duration } from 'luxon';
import { locateRecipient, type RecipientLocation } from '../location/recipient-location';
import type { ChannelWindow, ClientProfile } from '../shared/profile-schema';
import type { Channel } from '../shared/channels';
import type { LocationFacts } from '../shared/location-facts';
import type { Priority } from '../shared/message';
import type { ChannelPlan, WindowDetail } from '../shared/plan';
import { evaluateLayers, type WindowLayer } from './layered-window';
import { planLayers } from './plan-layers';
import type { DatedBlackout } from './window-engine';

export interface PlanInput {
  profile: ClientProfile;
  channel: Channel;
  recipientTimezone?: string;
  /** What else the message says of its recipient's location (issue 18); absent in plans recorded before it. */
  recipient?: LocationFacts;
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

/** The zones the client's own windows are read in, by its windowClock; the recipient's may be several. */
function clockZones(input: PlanInput, location: RecipientLocation): { zones: string[]; clock: WindowDetail['clock'] } {
  const { profile } = input;
  if (profile.windowClock !== 'recipient') return { zones: [profile.timezone], clock: 'client' };
  if (location.source !== 'fallback') return { zones: location.zones, clock: 'recipient' };
  return { zones: [profile.timezone], clock: 'client (recipient has no timezone)' };
}

const ruleText = ({ name, window, allDay }: WindowLayer, index: number | undefined) => {
  const rule = index === undefined || allDay ? undefined : window.rules[index];
  if (rule) return `${name ? `${name} ` : ''}rule ${index! + 1}: ${rule.days.join(',')} ${rule.from}–${rule.to}`;
  return name;
};

/** The earliest of the client windows' maxDefer (counted from acceptance) and expiresAt, with the bound's name. */
function deadline(
  input: PlanInput,
  windows: readonly { name?: string; window: ChannelWindow }[],
): { at: number; what: string } | undefined {
  const bounds: { at: number; what: string }[] = [];
  for (const { name, window } of windows) {
    if (window.maxDefer === undefined) continue;
    const at = Date.parse(input.acceptedAt) + Duration.fromISO(window.maxDefer).toMillis();
    bounds.push({ at, what: `${name ? `${name} ` : ''}maxDefer ${window.maxDefer} (until ${isoOf(at)})` });
  }
  if (input.expiresAt !== undefined)
    bounds.push({ at: Date.parse(input.expiresAt), what: `expiresAt ${input.expiresAt}` });
  return bounds.sort((a, b) => a.at - b.at)[0];
}

const holidayText = (blackouts: readonly DatedBlackout[]) => {
  const named = blackouts.filter((b) => b.name).map((b) => `closed for ${b.name} ${b.from}`);
  const dated = blackouts.filter((b) => !b.name).map((b) => `${b.from}..${b.to}`);
  return [...named, ...(dated.length > 0 ? [`blackout ${dated.join(', ')} skipped`] : [])].join('; ');
};

/**
 * SPEC §3 with issue 18's layers for one channel of one message at `now`: send, wait until `notBefore`, reject,
 * or expire. Pure: the same input always gives the same plan (holiday data and area codes are pinned data).
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
  const categoryName = input.category ?? 'transactional';
  const categorySettings = settings.categories?.[categoryName];
  // The channel's window, then the category's: the message goes only when every layer is open (intersection).
  const windows = [
    ...(settings.window ? [{ window: settings.window }] : []),
    ...(categorySettings?.window ? [{ name: `category ${categoryName}`, window: categorySettings.window }] : []),
  ];
  const location = locateRecipient(
    { ...input.recipient, ...(input.recipientTimezone ? { timezone: input.recipientTimezone } : {}) },
    profile.timezone,
  );
  const { zones, clock } = clockZones(input, location);
  const bypass = input.priority === 'urgent' && profile.allowUrgentBypass;
  const { layers, caps, usesLocation, unknownRecipientCalendar } = planLayers(
    windows,
    { name: categoryName, settings: categorySettings },
    { location, clientZones: zones, now, bypassClientWindows: bypass },
  );
  const sendBefore = input.expiresAt;
  const capsOf = caps.length > 0 ? { caps } : {};
  const recipientNote = usesLocation || clock === 'recipient' ? { recipient: location.description } : {};
  const unknownCalendar = unknownRecipientCalendar ? "; the recipient's holiday calendar is unknown" : '';
  if (layers.length === 0) {
    if (!bypass || windows.length === 0) return { action: 'send', sendBefore, ...capsOf };
    return {
      action: 'send',
      sendBefore,
      window: { zone: zones[0]!, clock, explanation: 'urgent: the client lets urgent messages bypass windows' },
      ...capsOf,
    };
  }

  const result = evaluateLayers(layers, now);
  const { evaluation, decisive } = result;
  const zone = decisive.zone;
  const rule = ruleText(decisive, evaluation.rule);
  const where = `${rule ? `${rule} ` : ''}in ${zone}${usesLocation ? ` (${location.description})` : ''}`;
  const detail = (explanation: string): WindowDetail => ({
    zone,
    clock,
    ...(rule ? { rule } : {}),
    ...(result.skipped.length > 0 ? { blackouts: result.skipped } : {}),
    ...(decisive.name ? { layer: decisive.name } : {}),
    ...recipientNote,
    explanation: `${bypass ? 'urgent: client windows bypassed, regulations kept; ' : ''}${explanation}${unknownCalendar}`,
  });

  if (result.open) {
    const closes = result.closesAt;
    const bound = [closes, sendBefore === undefined ? undefined : Date.parse(sendBefore)]
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b)[0];
    return {
      action: 'send',
      sendBefore: bound === undefined ? undefined : isoOf(bound),
      window: detail(`open by ${where}${closes ? ` until ${localText(closes, zone)}` : ''}`),
      ...capsOf,
    };
  }
  const rejecting = result.closedNow.find((layer) => layer.rejects);
  if (rejecting && input.afterWindowClosed !== true) {
    const which = rejecting.name ? `${rejecting.name} window of ${channel}` : `${channel} window`;
    return {
      action: 'reject',
      reason: `outside the ${which} in ${rejecting.zone} and the client rejects rather than defers`,
      window: detail('closed; outside: reject'),
    };
  }
  if (result.opensAt === undefined) {
    return {
      action: 'expire',
      reason: `the ${channel} window does not open within two years`,
      window: detail(`never opens (${decisive.name ?? 'channel window'})`),
    };
  }
  const opening = `${localText(result.opensAt, zone)} by ${where}`;
  const bound = deadline(input, windows);
  if (bound !== undefined && result.opensAt > bound.at) {
    return {
      action: 'expire',
      reason: `the next ${channel} opening, ${opening}, is later than ${bound.what}`,
      window: detail(`next opening ${opening} is past ${bound.what}`),
    };
  }
  const skipped = holidayText(result.skipped);
  return {
    action: 'wait',
    notBefore: isoOf(result.opensAt),
    window: detail(`waits for ${opening}${skipped ? `; ${skipped}` : ''}`),
  };
}
