import { maskEmail } from '../logging/logger';
import type { EmailMessage } from '../providers/types';
import type { ActivityDeps } from './deps';
import { providerCall, type ProviderCallInput, type SendResult } from './provider-call';

export type SendEmailInput = EmailMessage & ProviderCallInput;

/** The receipt wait is set only when Postmark's delivery webhook points here; the message itself asks for none. */
export const sendEmailActivity =
  (deps: Pick<ActivityDeps, 'email' | 'receipts' | 'logger' | 'metrics'>) =>
  (input: SendEmailInput): Promise<SendResult> =>
    providerCall(
      deps,
      input,
      'email',
      maskEmail(input.to),
      () =>
        deps.email.send({
          from: input.from,
          to: input.to,
          subject: input.subject,
          text: input.text,
          html: input.html,
          messageStream: input.messageStream,
          metadata: input.metadata,
        }),
      deps.receipts?.email ? deps.receipts.waitMs : undefined,
    );
