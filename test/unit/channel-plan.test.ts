import assert from 'node:assert/strict';
import type { ChannelWindow, ClientProfile } from '../../src/shared/profile-schema';
import { planChannel, type PlanInput } from '../../src/windows/channel-plan';

const officeHours: ChannelWindow = {
  rules: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], from: '08:00', to: '20:00' }],
  blackouts: [],
  outside: 'defer',
};

function profile(window: ChannelWindow | undefined, extra: Partial<ClientProfile> = {}): ClientProfile {
  return {
    clientId: 'acme',
    name: 'Acme',
    timezone: 'Asia/Jerusalem',
    windowClock: 'client',
    allowUrgentBypass: false,
    channels: { sms: { enabled: true, from: '+15550001111', window }, push: { enabled: false } },
    ...extra,
  };
}

// Wednesday 2026-11-25, 22:00 in Jerusalem (20:00Z): after office hours.
const evening = Date.parse('2026-11-25T20:00:00Z');
const input = (p: ClientProfile, overrides: Partial<PlanInput> = {}): PlanInput => ({
  profile: p,
  channel: 'sms',
  priority: 'normal',
  acceptedAt: new Date(evening).toISOString(),
  now: evening,
  ...overrides,
});

describe('planning one channel of a message (SPEC §3)', () => {
  it('a channel with no window is always open', () => {
    assert.deepEqual(planChannel(input(profile(undefined))), { action: 'send', sendBefore: undefined });
  });

  it('outside the window with outside=defer it waits for the next opening, explaining rule and zone', () => {
    const plan = planChannel(input(profile(officeHours)));
    assert.equal(plan.action, 'wait');
    assert.equal(plan.action === 'wait' && plan.notBefore, '2026-11-26T06:00:00.000Z');
    assert.equal(plan.window?.zone, 'Asia/Jerusalem');
    assert.equal(plan.window?.clock, 'client');
    assert.equal(plan.window?.rule, 'rule 1: sun,mon,tue,wed,thu 08:00–20:00');
    assert.match(plan.window?.explanation ?? '', /Thu 2026-11-26 08:00/);
  });

  it("outside: 'reject' is decided at acceptance: a retry that met the closed window waits for the next opening", () => {
    // Issue 18's reproducer: Wednesdays 08:00–20:00 in Jerusalem, accepted at 19:55, re-planned at 20:01.
    const wednesdays: ChannelWindow = {
      rules: [{ days: ['wed'], from: '08:00', to: '20:00' }],
      blackouts: [],
      outside: 'reject',
      maxDefer: 'P14D',
    };
    const replan = { acceptedAt: '2026-11-25T17:55:00Z', now: Date.parse('2026-11-25T18:01:00Z') };
    assert.equal(planChannel(input(profile(wednesdays), replan)).action, 'reject');
    const retry = planChannel(input(profile(wednesdays), { ...replan, afterWindowClosed: true }));
    assert.equal(retry.action === 'wait' && retry.notBefore, '2026-12-02T06:00:00.000Z');
    // Bounded as any wait: by maxDefer (P1D here) it expires instead.
    const bounded = planChannel(
      input(profile({ ...wednesdays, maxDefer: 'P1D' }), { ...replan, afterWindowClosed: true }),
    );
    assert.equal(bounded.action, 'expire');
  });

  it('maxDefer P1D means 24 hours, not a calendar day, across a DST change', () => {
    // New York springs forward on 2026-03-08: a calendar day from Sat 12:00 EST ends Sun 12:00 EDT, 23 h later.
    const noonThirty: ChannelWindow = {
      rules: [{ days: ['sun'], from: '12:30', to: '13:00' }],
      blackouts: [],
      outside: 'defer',
      maxDefer: 'P1D',
    };
    const accepted = { acceptedAt: '2026-03-07T17:00:00Z', now: Date.parse('2026-03-07T17:00:00Z') };
    const plan = planChannel(input(profile(noonThirty, { timezone: 'America/New_York' }), accepted));
    assert.equal(plan.action === 'wait' && plan.notBefore, '2026-03-08T16:30:00.000Z'); // 23.5 h later
  });

  describe('a category window adds to the channel window (intersection)', () => {
    // The channel 07:00–22:00 every day; marketing also 09:00–20:00 on weekdays, in Jerusalem.
    const everyDay = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
    const channelWindow: ChannelWindow = {
      rules: [{ days: [...everyDay], from: '07:00', to: '22:00' }],
      blackouts: [],
      outside: 'defer',
    };
    const marketingWindow: ChannelWindow = {
      rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '20:00' }],
      blackouts: [],
      outside: 'defer',
    };
    const withCategories = (marketing: ChannelWindow, channel: ChannelWindow | undefined = channelWindow) =>
      profile(undefined, {
        channels: {
          sms: {
            enabled: true,
            from: '+15550001111',
            window: channel,
            categories: { marketing: { window: marketing } },
          },
        },
      });
    // Wed 2026-11-25 21:00 in Jerusalem: the channel is open, marketing is not.
    const nine = { now: Date.parse('2026-11-25T19:00:00Z') };

    it('a marketing message waits for the category while a transactional one goes at once', () => {
      const marketing = planChannel(input(withCategories(marketingWindow), { ...nine, category: 'marketing' }));
      assert.equal(marketing.action === 'wait' && marketing.notBefore, '2026-11-26T07:00:00.000Z'); // Thu 09:00
      assert.equal(marketing.window?.rule, 'category marketing rule 1: mon,tue,wed,thu,fri 09:00–20:00');
      assert.match(
        marketing.window?.explanation ?? '',
        /waits for Thu 2026-11-26 09:00 .* by category marketing rule 1/,
      );
      assert.equal(planChannel(input(withCategories(marketingWindow), nine)).action, 'send');
      assert.equal(
        planChannel(input(withCategories(marketingWindow), { ...nine, category: 'receipts' })).action,
        'send',
      );
    });

    it('open in both: the send is bounded by whichever closes first, and names it', () => {
      const atTen = { now: Date.parse('2026-11-25T08:00:00Z'), category: 'marketing' }; // Wed 10:00
      const plan = planChannel(input(withCategories(marketingWindow), atTen));
      assert.equal(plan.action === 'send' && plan.sendBefore, '2026-11-25T18:00:00.000Z'); // 20:00, marketing's
      assert.equal(plan.window?.rule, 'category marketing rule 1: mon,tue,wed,thu,fri 09:00–20:00');
    });

    it("the next opening of both together, not of either: the category's opening inside a closed channel moves on", () => {
      // The channel only Thursdays 18:00–22:00; marketing weekdays 09:00–20:00: together Thu 18:00–20:00.
      const thursdayEvenings: ChannelWindow = {
        ...channelWindow,
        rules: [{ days: ['thu'], from: '18:00', to: '22:00' }],
      };
      const plan = planChannel(
        input(withCategories(marketingWindow, thursdayEvenings), { ...nine, category: 'marketing' }),
      );
      assert.equal(plan.action === 'wait' && plan.notBefore, '2026-11-26T16:00:00.000Z'); // Thu 18:00, the channel's
      assert.equal(plan.window?.rule, 'rule 1: thu 18:00–22:00');
    });

    it('layers that never overlap expire the channel; a rejecting category rejects with its name', () => {
      const weekends: ChannelWindow = {
        ...marketingWindow,
        rules: [{ days: ['sat', 'sun'], from: '10:00', to: '12:00' }],
      };
      const weekdaysOnly: ChannelWindow = { ...channelWindow, rules: [{ days: ['mon'], from: '07:00', to: '22:00' }] };
      const never = planChannel(input(withCategories(weekends, weekdaysOnly), { ...nine, category: 'marketing' }));
      assert.equal(never.action, 'expire');
      const rejecting = planChannel(
        input(withCategories({ ...marketingWindow, outside: 'reject' }), { ...nine, category: 'marketing' }),
      );
      assert.equal(rejecting.action, 'reject');
      assert.match(rejecting.action === 'reject' ? rejecting.reason : '', /category marketing window of sms/);
    });

    it("a category's maxDefer bounds the wait like the channel's; urgent bypass skips both client layers", () => {
      const short = planChannel(
        input(withCategories({ ...marketingWindow, maxDefer: 'PT2H' }), { ...nine, category: 'marketing' }),
      );
      assert.equal(short.action, 'expire');
      assert.match(short.action === 'expire' ? short.reason : '', /category marketing maxDefer PT2H/);
      const urgent = { ...nine, category: 'marketing', priority: 'urgent' as const };
      const bypass = { ...withCategories(marketingWindow), allowUrgentBypass: true };
      assert.equal(planChannel(input(bypass, urgent)).action, 'send');
    });
  });

  it('inside the window it sends, bounded by the window close', () => {
    const plan = planChannel(input(profile(officeHours), { now: Date.parse('2026-11-25T10:00:00Z') }));
    assert.deepEqual([plan.action, plan.action === 'send' && plan.sendBefore], ['send', '2026-11-25T18:00:00.000Z']);
  });

  it('outside=reject rejects the channel at once with the reason', () => {
    const plan = planChannel(input(profile({ ...officeHours, outside: 'reject' })));
    assert.equal(plan.action, 'reject');
    assert.match(plan.action === 'reject' ? plan.reason : '', /outside the sms window/);
  });

  it('a next opening later than maxDefer ends the channel expired, without waiting', () => {
    const plan = planChannel(input(profile({ ...officeHours, maxDefer: 'PT2H' })));
    assert.equal(plan.action, 'expire');
    assert.match(plan.action === 'expire' ? plan.reason : '', /later than maxDefer PT2H/);
  });

  it('maxDefer counts from acceptance, not from each re-plan', () => {
    const plan = planChannel(
      input(profile({ ...officeHours, maxDefer: 'PT12H' }), {
        acceptedAt: '2026-11-25T12:00:00Z', // the message arrived at 14:00, inside the window, and was retried
      }),
    );
    assert.equal(plan.action, 'expire');
  });

  it('a next opening later than expiresAt ends the channel expired', () => {
    const plan = planChannel(input(profile(officeHours), { expiresAt: '2026-11-26T05:00:00Z' }));
    assert.equal(plan.action, 'expire');
    assert.match(plan.action === 'expire' ? plan.reason : '', /expiresAt/);
  });

  it('a message past expiresAt expires whatever the window', () => {
    assert.equal(planChannel(input(profile(undefined), { expiresAt: '2026-11-25T19:00:00Z' })).action, 'expire');
  });

  it('expiresAt bounds the send even inside the window', () => {
    const plan = planChannel(
      input(profile(officeHours), { now: Date.parse('2026-11-25T10:00:00Z'), expiresAt: '2026-11-25T11:00:00Z' }),
    );
    assert.equal(plan.action === 'send' && plan.sendBefore, '2026-11-25T11:00:00.000Z');
  });

  it('urgent ignores the window only where the client allows it', () => {
    assert.equal(planChannel(input(profile(officeHours), { priority: 'urgent' })).action, 'wait');
    const allowed = planChannel(input(profile(officeHours, { allowUrgentBypass: true }), { priority: 'urgent' }));
    assert.equal(allowed.action, 'send');
    assert.match(allowed.window?.explanation ?? '', /urgent/);
  });

  it('windowClock=recipient uses the recipient zone', () => {
    // 22:00 in Jerusalem is 15:00 in New York: inside office hours there.
    const plan = planChannel(
      input(profile(officeHours, { windowClock: 'recipient' }), { recipientTimezone: 'America/New_York' }),
    );
    assert.deepEqual([plan.action, plan.window?.zone, plan.window?.clock], ['send', 'America/New_York', 'recipient']);
  });

  it('windowClock=recipient falls back to the client zone when the recipient has none', () => {
    const plan = planChannel(input(profile(officeHours, { windowClock: 'recipient' })));
    assert.deepEqual(
      [plan.action, plan.window?.zone, plan.window?.clock],
      ['wait', 'Asia/Jerusalem', 'client (recipient has no timezone)'],
    );
  });

  it('a channel disabled since acceptance is rejected with the reason', () => {
    assert.deepEqual(planChannel(input(profile(officeHours), { channel: 'push' })), {
      action: 'reject',
      reason: 'channel push is not enabled for client acme',
    });
  });

  it('blackouts that push the opening are named', () => {
    const plan = planChannel(input(profile({ ...officeHours, blackouts: [{ from: '2026-11-26', to: '2026-11-30' }] })));
    assert.equal(plan.action === 'wait' && plan.notBefore, '2026-11-30T06:00:00.000Z');
    assert.deepEqual(plan.window?.blackouts, [{ from: '2026-11-26', to: '2026-11-30' }]);
  });
});
