import type { Ack } from '../acks/ack';
import type { MessageKey } from '../deliveries/records';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/service-metrics';
import type { EmailProvider, PushProvider, SmsProvider } from '../providers/types';
import type { ChannelStatus } from '../shared/message';
import type { ClientProfile } from '../shared/profile-schema';

export interface ActivityDeps {
  findProfile(clientId: string): Promise<ClientProfile | undefined>;
  writeDeliveryRecord(message: MessageKey, status: ChannelStatus): Promise<void>;
  email: EmailProvider;
  /** Absent when this deployment has no SMS provider configured. */
  sms?: SmsProvider;
  /** Absent when this deployment has no FCM project configured. */
  push?: PushProvider;
  publishAck: (ack: Ack) => Promise<void>;
  /**
   * Where providers send delivery receipts; absent: none are requested. `email` says whether Postmark's
   * delivery webhook points at this service (it is set per Postmark server, not per message).
   */
  receipts?: { publicBaseUrl: string; waitMs: number; email: boolean };
  logger: Logger;
  metrics: ServiceMetrics;
}
