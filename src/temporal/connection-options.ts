import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from '../config';

const read = (file: string | undefined) => (file === undefined ? undefined : fs.readFileSync(file));

/**
 * Plain gRPC for the local stacks; TLS when asked for, implied by an API key (Temporal Cloud) or by a client
 * certificate (mTLS: self-hosted clusters and Cloud's mTLS namespaces). Files are read at connect time, so
 * rotated certificates take effect at the next start.
 */
export function temporalTls(config: TemporalConfig): TLSConfig | undefined {
  const mtls = config.TEMPORAL_TLS_CERT_FILE !== undefined;
  const tls =
    config.TEMPORAL_TLS || config.TEMPORAL_API_KEY !== undefined || mtls || config.TEMPORAL_TLS_CA_FILE !== undefined;
  if (!tls) return undefined;
  return {
    serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
    serverRootCACertificate: read(config.TEMPORAL_TLS_CA_FILE),
    clientCertPair: mtls
      ? { crt: read(config.TEMPORAL_TLS_CERT_FILE)!, key: read(config.TEMPORAL_TLS_KEY_FILE)! }
      : undefined,
  };
}

export const temporalConnectionOptions = (config: TemporalConfig) => ({
  address: config.TEMPORAL_ADDRESS,
  tls: temporalTls(config),
  apiKey: config.TEMPORAL_API_KEY,
});
