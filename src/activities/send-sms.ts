import { activityInfo } from '@temporalio/activity';
import { maskPhone } from '../logging/logger';
import { twilioStatusCallbackUrl } from '../providers/twilio/status-callback';
import type { SmsMessage } from '../providers/types';
import type { ActivityDeps } from './deps';
import { configured, providerCall, type ProviderCallInput, type SendResult } from './provider-call';

export type SendSmsInput = Omit<SmsMessage, 'statusCallback'> & ProviderCallInput;

/** With receipts configured, each SMS asks Twilio to report its fate to this message's workflow. */
export const sendSmsActivity =
  (deps: Pick<ActivityDeps, 'sms' | 'receipts' | 'logger' | 'metrics'>) =>
  (input: SendSmsInput): Promise<SendResult> => {
    const sms = configured(deps.sms, 'SMS');
    const { receipts } = deps;
    const statusCallback = receipts
      ? twilioStatusCallbackUrl(receipts.publicBaseUrl, activityInfo().workflowExecution?.workflowId ?? '')
      : undefined;
    return providerCall(
      deps,
      input,
      'sms',
      maskPhone(input.to),
      () => sms.send({ from: input.from, to: input.to, body: input.body, statusCallback }),
      receipts?.waitMs,
    );
  };
