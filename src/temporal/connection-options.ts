import type { Config } from '../config';

/** Local dev server: plain gRPC. Temporal Cloud or a TLS cluster: TEMPORAL_TLS and/or TEMPORAL_API_KEY. */
export const temporalConnectionOptions = (config: Config) => ({
  address: config.TEMPORAL_ADDRESS,
  tls: config.TEMPORAL_TLS || config.TEMPORAL_API_KEY !== undefined ? {} : undefined,
  apiKey: config.TEMPORAL_API_KEY,
});
