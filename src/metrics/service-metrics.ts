import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { providerOf, type Channel } from '../shared/channels';
import type { ChannelStatus } from '../shared/message';

/** How a provider request ended, as the provider request histogram labels it. */
export type ProviderOutcome = 'ok' | 'permanent' | 'transient' | 'timeout';

export interface MetricsOptions {
  /**
   * Client ids that get a `client_id` label of their own; every other client counts as `other`. Empty (the
   * default): no `client_id` label at all, since a label per tenant multiplies every series by the tenant count.
   */
  clientLabels?: readonly string[];
}

// Provider and HTTP calls: tens of milliseconds to the 30 s start-to-close timeout.
const requestBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// Acceptance to the provider and window waits: from an open window (under a second) to a weekend's wait.
const waitBuckets = [0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400];

const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/**
 * The service's own Prometheus metrics, one registry per process role. Every role registers all of them, so a
 * dashboard finds every name on every target; each role fills in the ones it does (README "Operations").
 */
export function createServiceMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const allowed = new Set(options.clientLabels ?? []);
  const clientLabelNames = allowed.size > 0 ? ['client_id'] : [];
  const clientLabel = (clientId: string) =>
    allowed.size > 0 ? { client_id: allowed.has(clientId) ? clientId : 'other' } : {};
  const registers = [registry];

  const accepted = new Counter({
    name: 'communication_messages_accepted_total',
    help: 'Channels of newly accepted messages, by channel and source (api, kafka); repeats of a message are not counted',
    labelNames: ['channel', 'source', ...clientLabelNames],
    registers,
  });
  const outcomes = new Counter({
    name: 'communication_channel_outcomes_total',
    help: 'Channels settled, by channel and final state (with a receipt: delivered or failed, not sent)',
    labelNames: ['channel', 'state', ...clientLabelNames],
    registers,
  });
  const providerRequests = new Histogram({
    name: 'communication_provider_request_duration_seconds',
    help: 'Provider API requests, by provider and outcome (ok, permanent, transient, timeout)',
    labelNames: ['provider', 'outcome'],
    buckets: requestBuckets,
    registers,
  });
  const toProvider = new Histogram({
    name: 'communication_acceptance_to_provider_seconds',
    help: 'From acceptance to the provider accepting the channel, window waits included',
    labelNames: ['channel'],
    buckets: waitBuckets,
    registers,
  });
  const windowWait = new Histogram({
    name: 'communication_window_wait_seconds',
    help: 'From acceptance to the first send attempt: the time a channel waited for its window (0 when open)',
    labelNames: ['channel'],
    buckets: waitBuckets,
    registers,
  });
  const receipts = new Counter({
    name: 'communication_receipts_total',
    help: 'Verified delivery receipts, by provider and the state they report',
    labelNames: ['provider', 'state'],
    registers,
  });
  const acks = new Counter({
    name: 'communication_acks_published_total',
    help: 'Acks published to the Kafka ack topic, by outcome (ok, error; an error is retried)',
    labelNames: ['outcome'],
    registers,
  });
  const webhooks = new Counter({
    name: 'communication_webhook_deliveries_total',
    help: "Ack deliveries to clients' webhooks, by outcome (ok, retryable, permanent)",
    labelNames: ['outcome'],
    registers,
  });
  const http = new Histogram({
    name: 'communication_http_request_duration_seconds',
    help: 'HTTP requests served, by method, route pattern and status (its _count is the request count)',
    labelNames: ['method', 'route', 'status'],
    buckets: requestBuckets,
    registers,
  });

  return {
    registry,
    messageAccepted: (clientId: string, channel: Channel, source: 'api' | 'kafka') =>
      accepted.inc({ channel, source, ...clientLabel(clientId) }),

    /**
     * A channel's status when it settles (once per channel: with a receipt, at `delivered` or `failed`, whose
     * history holds the `sent` before it).
     */
    channelSettled: (clientId: string, acceptedAt: string, status: ChannelStatus) => {
      outcomes.inc({ channel: status.channel, state: status.state, ...clientLabel(clientId) });
      const at = (state: string) => status.history.find((h) => h.state === state)?.at;
      const sending = at('sending');
      const sent = at('sent');
      if (sending) windowWait.observe({ channel: status.channel }, seconds(acceptedAt, sending));
      if (sent) toProvider.observe({ channel: status.channel }, seconds(acceptedAt, sent));
    },

    providerRequest: (channel: Channel, outcome: ProviderOutcome, durationSeconds: number) =>
      providerRequests.observe({ provider: providerOf[channel].toLowerCase(), outcome }, durationSeconds),

    receipt: (provider: string, state: string) => receipts.inc({ provider, state }),
    ackPublished: (outcome: 'ok' | 'error') => acks.inc({ outcome }),
    webhookDelivered: (outcome: 'ok' | 'retryable' | 'permanent') => webhooks.inc({ outcome }),
    httpRequest: (method: string, route: string, status: number, durationSeconds: number) =>
      http.observe({ method, route, status: String(status) }, durationSeconds),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
