import { bookkeepingActivities } from './bookkeeping';
import type { ActivityDeps } from './deps';
import { sendEmailActivity } from './send-email';
import { sendPushActivity } from './send-push';
import { sendSmsActivity } from './send-sms';
import { deliverWebhookActivity } from './webhook';

export type { ActivityDeps } from './deps';
export { bookkeepingActivities, deliverWebhookActivity, sendEmailActivity, sendPushActivity, sendSmsActivity };
export type { SendResult } from './provider-call';
export type { SendEmailInput } from './send-email';
export type { SendPushInput } from './send-push';
export type { SendSmsInput } from './send-sms';

/**
 * All activities, built once per worker from real or fake dependencies. The names are the activity types in
 * workflow histories: renaming one breaks replay.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...bookkeepingActivities(deps),
    deliverWebhook: deliverWebhookActivity(deps),
    sendEmail: sendEmailActivity(deps),
    sendSms: sendSmsActivity(deps),
    sendPush: sendPushActivity(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
