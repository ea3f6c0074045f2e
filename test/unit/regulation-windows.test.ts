import assert from 'node:assert/strict';
import type { ChannelPlan } from '../../src/shared/plan';
import { profileSchema, type ClientProfile } from '../../src/shared/profile-schema';
import { planChannel, type PlanInput } from '../../src/windows/channel-plan';

/** A client on New York's clock whose SMS marketing follows the law where the recipient is, in one line. */
function lawful(presets: string[], extra: Record<string, unknown> = {}): ClientProfile {
  const parsed = profileSchema.parse({
    name: 'Acme',
    timezone: 'America/New_York',
    allowUrgentBypass: true,
    channels: {
      sms: {
        enabled: true,
        from: '+15550001111',
        categories: { marketing: { window: { presets, blackouts: [{ calendar: 'recipient' }] } } },
      },
    },
    ...extra,
  });
  return { ...parsed, clientId: 'acme' };
}

const plan = (profile: ClientProfile, at: string, phone: string, overrides: Partial<PlanInput> = {}): ChannelPlan =>
  planChannel({
    profile,
    channel: 'sms',
    priority: 'normal',
    category: 'marketing',
    recipient: { phone },
    acceptedAt: at,
    now: Date.parse(at),
    ...overrides,
  });

const notBefore = (p: ChannelPlan) => (p.action === 'wait' ? p.notBefore : `${p.action} (not a wait)`);

describe('regulation presets on the recipient’s location (issue 18)', () => {
  it('a Hawaii number at 20:30 Hawaii time in January is open under TCPA while it is 01:30 in New York', () => {
    const p = plan(lawful(['us-tcpa']), '2026-01-16T06:30:00Z', '+18085550123');
    assert.equal(p.action, 'send');
    assert.match(p.window?.recipient ?? '', /808/);
  });

  it('an area code spanning two zones waits until the window holds in both (850: New York and Chicago)', () => {
    // 2026-03-10 08:30 EDT is 07:30 CDT: TCPA's 08:00 comes an hour later in Chicago.
    const p = plan(lawful(['us-tcpa']), '2026-03-10T12:30:00Z', '+18505550123');
    assert.equal(notBefore(p), '2026-03-10T13:00:00.000Z');
    assert.equal(p.window?.zone, 'America/Chicago');
    assert.match(p.window?.explanation ?? '', /by preset us-tcpa .*America\/Chicago/);
  });

  it('Alabama (us-telemarketing from area code 205): no Sunday, waits for Monday 08:00', () => {
    const p = plan(lawful(['us-telemarketing']), '2026-12-06T18:00:00Z', '+12055550123');
    assert.equal(notBefore(p), '2026-12-07T14:00:00.000Z');
    assert.match(p.window?.layer ?? '', /preset us-al/);
  });

  it('Alabama on Independence Day observed (Friday 2026-07-03, the day itself a Saturday) waits until Monday', () => {
    const p = plan(lawful(['us-al']), '2026-07-03T15:00:00Z', '+12055550123');
    assert.equal(notBefore(p), '2026-07-06T13:00:00.000Z');
    assert.match(p.window?.explanation ?? '', /closed for Independence Day/);
  });

  it("Florida's cap of 3 per 24 h travels with the plan, and its 20:00 end holds", () => {
    const open = plan(lawful(['us-telemarketing']), '2026-03-10T14:00:00Z', '+13055550123');
    assert.equal(open.action, 'send');
    assert.deepEqual(open.action === 'send' && open.caps, [
      { max: 3, per: 'PT24H', scope: 'category', source: 'preset us-fl' },
    ]);
    // 20:30 EDT: TCPA alone would allow it, Florida does not.
    const late = plan(lawful(['us-telemarketing']), '2026-03-11T00:30:00Z', '+13055550123');
    assert.equal(notBefore(late), '2026-03-11T12:00:00.000Z');
    assert.match(late.window?.layer ?? '', /preset us-fl/);
  });

  it('France: the 13:00–14:00 gap and a public holiday (11 November)', () => {
    const gap = plan(lawful(['fr-canvassing']), '2026-12-01T12:30:00Z', '+33612345678');
    assert.equal(notBefore(gap), '2026-12-01T13:00:00.000Z');
    const armistice = plan(lawful(['fr-canvassing']), '2026-11-11T10:00:00Z', '+33612345678');
    assert.equal(notBefore(armistice), '2026-11-12T09:00:00.000Z');
    assert.match(armistice.window?.explanation ?? '', /closed for .*(Armistice|11)/i);
  });

  it("an explicit timezone overrides the number's (a New York number living in Los Angeles)", () => {
    const p = plan(lawful(['us-tcpa']), '2026-03-10T13:00:00Z', '+12125550123', {
      recipientTimezone: 'America/Los_Angeles',
    });
    assert.equal(notBefore(p), '2026-03-10T15:00:00.000Z');
  });

  it('Thanksgiving closes the recipient calendar; a transactional message on the same channel goes at once', () => {
    const at = '2026-11-26T16:00:00Z';
    const marketing = plan(lawful(['us-tcpa']), at, '+13125550123');
    assert.equal(notBefore(marketing), '2026-11-27T14:00:00.000Z');
    assert.match(marketing.window?.explanation ?? '', /closed for Thanksgiving Day/);
    assert.equal(plan(lawful(['us-tcpa']), at, '+13125550123', { category: undefined }).action, 'send');
  });

  it('urgent bypasses the client’s own window, never a preset', () => {
    const profile = lawful(['us-tcpa']);
    profile.channels.sms!.window = {
      rules: [{ days: ['mon'], from: '09:00', to: '10:00' }],
      blackouts: [],
      outside: 'defer',
    };
    // Tuesday 2026-03-10 07:00 Chicago: both closed; urgent waits only for TCPA's 08:00.
    const p = plan(profile, '2026-03-10T12:00:00Z', '+13125550123', { priority: 'urgent' });
    assert.equal(notBefore(p), '2026-03-10T13:00:00.000Z');
  });

  it('no explanation, reason or detail quotes the full number', () => {
    const cases = [
      plan(lawful(['us-telemarketing']), '2026-12-06T18:00:00Z', '+12055550123'),
      plan(lawful(['us-tcpa']), '2026-03-10T12:30:00Z', '+18505550123'),
      plan(lawful(['fr-canvassing']), '2026-11-11T10:00:00Z', '+33612345678'),
    ];
    for (const p of cases) assert.doesNotMatch(JSON.stringify(p), /5550123|12345678/);
  });

  it('a recipient whose location is unknown is planned on the client’s zone, and the explanation says so', () => {
    const p = plan(lawful(['us-tcpa']), '2026-03-10T11:00:00Z', '+18005550100');
    assert.equal(notBefore(p), '2026-03-10T12:00:00.000Z');
    assert.match(p.window?.recipient ?? '', /unknown/);
  });
});

describe('profile validation of the layers (issue 18)', () => {
  const errors = (sms: Record<string, unknown>) => {
    const result = profileSchema.safeParse({
      name: 'Acme',
      timezone: 'America/New_York',
      channels: { sms: { enabled: true, from: '+15550001111', ...sms } },
    });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('refuses an unknown preset, an unknown calendar and caps out of range', () => {
    assert.match(errors({ window: { presets: ['us-zz'] } }).join(), /presets\.0: is not a known preset/);
    assert.match(errors({ window: { blackouts: [{ calendar: 'ZZ' }] } }).join(), /blackouts\.0/);
    const cap = (c: unknown) => errors({ categories: { marketing: { caps: [c] } } }).join();
    assert.match(cap({ max: 0, per: 'PT24H' }), /max: must be at least 1/);
    assert.match(cap({ max: 3, per: 'P2Y' }), /per: must be at most a year/);
    assert.deepEqual(errors({ categories: { marketing: { caps: [{ max: 3, per: 'PT24H' }] } } }), []);
  });
});
