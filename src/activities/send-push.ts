import { activityInfo, heartbeat } from '@temporalio/activity';
import { maskToken } from '../logging/logger';
import { ProviderError, type ProviderAcceptance, type PushMessage, type PushProvider } from '../providers/types';
import type { ActivityDeps } from './deps';
import { configured, providerCall, type ProviderCallInput, type SendResult } from './provider-call';

export type SendPushInput = Omit<PushMessage, 'token'> & { tokens: string[] } & ProviderCallInput;

/** What a push attempt leaves in its heartbeat, so a retry sends only to the devices that did not answer yet. */
interface PushProgress {
  accepted: Record<number, ProviderAcceptance>;
  rejected: Record<number, ProviderError['details']['code'] | null>;
}

/**
 * Sends to each device token in turn, skipping those an earlier attempt settled. A transient refusal stops the
 * attempt (the provider asked to slow down or is failing) and the retry picks up where it stopped; the message
 * counts as sent when at least one device took it, and fails only when every token was refused for good.
 */
async function sendToDevices(
  push: PushProvider,
  input: SendPushInput,
): Promise<ProviderAcceptance & Required<Pick<SendResult, 'devices'>>> {
  const progress: PushProgress = (activityInfo().heartbeatDetails as PushProgress | undefined) ?? {
    accepted: {},
    rejected: {},
  };
  let lastPermanent: ProviderError | undefined;
  for (const [index, token] of input.tokens.entries()) {
    if (progress.accepted[index] !== undefined || progress.rejected[index] !== undefined) continue;
    try {
      progress.accepted[index] = await push.send({ token, title: input.title, body: input.body, data: input.data });
    } catch (err) {
      if (!(err instanceof ProviderError && err.details.permanent)) throw err;
      progress.rejected[index] = err.details.code ?? null;
      lastPermanent = err;
    } finally {
      heartbeat(progress);
    }
  }
  const accepted = Object.values(progress.accepted);
  const rejected = Object.entries(progress.rejected).map(([index, code]) => ({
    index: Number(index),
    code: code ?? undefined,
  }));
  const first = accepted[0];
  if (!first) {
    throw (
      lastPermanent ??
      new ProviderError('every device token was refused', { channel: 'push', provider: push.name, permanent: true })
    );
  }
  return { ...first, devices: { accepted: accepted.length, rejected } };
}

/** FCM has no delivery receipts: push ends at `sent` (SPEC §4). */
export const sendPushActivity =
  (deps: Pick<ActivityDeps, 'push' | 'logger' | 'metrics'>) =>
  (input: SendPushInput): Promise<SendResult> => {
    const push = configured(deps.push, 'push');
    return providerCall(deps, input, 'push', input.tokens.map(maskToken).join(','), () => sendToDevices(push, input));
  };
