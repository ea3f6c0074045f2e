import { condition } from '@temporalio/workflow';
import type { Channel } from '../shared/channels';
import type { ChannelPlan } from '../shared/plan';
import { errorTypes } from '../shared/temporal-names';
import { failureOf } from './failure';
import type { MessageRun } from './message-run';
import { planWindow } from './plans';
import { refusedDevices, sendOn } from './send-on';

type Wait = Extract<ChannelPlan, { action: 'wait' }>;

/**
 * A durable timer until the window opens: the wait survives worker and server restarts, and wakes early on a
 * profile change or a cancel. Returns the timer itself rather than awaiting it: channels run side by side, and
 * the turns between a wake-up and the next command decide whose command comes first in a shared workflow task,
 * an order the recorded histories fix.
 */
function waitForOpening(run: MessageRun, channel: Channel, plan: Wait): Promise<boolean> {
  const { tracker, state, profiles } = run;
  tracker.transition(channel, 'scheduled', { notBefore: plan.notBefore, window: plan.window });
  state.publish();
  const generation = profiles.generation;
  return condition(
    () => run.cancelRequested || profiles.generation !== generation,
    Math.max(1, Date.parse(plan.notBefore) - Date.now()),
    { summary: `${channel} waits until ${plan.notBefore} (${plan.window.rule ?? plan.window.zone})` },
  );
}

/** One channel from acceptance to a final state: plan, wait durably, send, and again when the window closed. */
export async function deliverChannel(run: MessageRun, channel: Channel): Promise<void> {
  const { input, tracker, profiles, plans, receipts, state } = run;
  let attempts = 0;
  // Once an attempt met a closed window, this channel waits for openings even where the client rejects outside
  // its window: that choice is made at acceptance. A waiting channel that never sent is rejected by a profile
  // change to `outside: "reject"`, as the client then asked.
  let afterWindowClosed = false;
  for (;;) {
    if (run.cancelRequested) {
      tracker.transition(channel, 'cancelled', { lastError: 'cancelled before it was sent' });
      return;
    }
    const current = await profiles.current();
    if (!current) {
      tracker.transition(channel, 'rejected', { lastError: profiles.error ?? 'client profile not found' });
      return;
    }
    const plan =
      plans.take(channel, profiles.fromAcceptance(current)) ??
      (await planWindow(input, channel, current, afterWindowClosed));
    if (run.cancelRequested) continue;
    if (plan.action === 'reject' || plan.action === 'expire') {
      const final = plan.action === 'reject' ? 'rejected' : 'expired';
      tracker.transition(channel, final, { lastError: plan.reason, window: plan.window });
      return;
    }
    if (plan.action === 'wait') {
      await waitForOpening(run, channel, plan);
      // Re-read the profile at wake-up too: a change made while this workflow was not yet visible to the
      // re-plan search sent it no signal.
      profiles.forget();
      continue;
    }
    tracker.transition(channel, 'sending', { window: plan.window });
    state.publish();
    try {
      const result = await sendOn(channel, input, current, plan.sendBefore);
      tracker.transition(channel, 'sent', {
        attempts: attempts + result.attempt,
        providerMessageId: result.providerMessageId,
        lastError: refusedDevices(result),
      });
      if (result.receiptWaitMs !== undefined)
        await receipts.awaitReceipt(channel, result.providerMessageId, result.receiptWaitMs);
      return;
    } catch (err) {
      const failure = failureOf(err);
      attempts += failure.attempts;
      if (failure.type !== errorTypes.windowClosed) {
        tracker.transition(channel, 'failed', { lastError: failure.reason, attempts });
        return;
      }
      // The window closed between retries: the next attempt waits for the next opening.
      afterWindowClosed = true;
    }
  }
}
