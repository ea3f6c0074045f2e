import fs from 'node:fs';
import path from 'node:path';
import { privateCa, validFor, type Pem } from '../tls/certificates';
import { loadTemporalConfig } from '../../src/config';
import { temporalConnectionOptions } from '../../src/temporal/connection-options';
import { stackPaths } from './paths';
import { productionPorts, productionServerName } from './production-layout';
import type { StackServer } from './server';
import { frontendAnswers } from './temporal-namespace';
import { spawnTemporalServer, temporalClusterServer } from './temporal-server';

const name = productionServerName('temporal-mtls');
const home = path.join(stackPaths.productionData, 'temporal-mtls');
const tlsDir = path.join(home, 'tls');
const ports = productionPorts.temporalMtls;
const address = `127.0.0.1:${ports.frontend}`;

/** The certificates, generated at stack start: the CA, the frontend's own, and one client's (the service's). */
const files = {
  ca: path.join(tlsDir, 'ca.pem'),
  serverCert: path.join(tlsDir, 'frontend.pem'),
  serverKey: path.join(tlsDir, 'frontend-key.pem'),
  clientCert: path.join(tlsDir, 'client.pem'),
  clientKey: path.join(tlsDir, 'client-key.pem'),
};

/**
 * What a process of ours sets to reach the cluster through the mTLS frontend: the service's own variables, as a
 * platform team sets them for its cluster. The server certificate names `localhost` (and 127.0.0.1); the name is
 * set because Node's TLS, under the API's gRPC client, warns at every connection whose server name is an IP.
 */
export const temporalMtlsClientEnv = {
  TEMPORAL_ADDRESS: address,
  TEMPORAL_TLS_SERVER_NAME: 'localhost',
  TEMPORAL_TLS_CA_FILE: files.ca,
  TEMPORAL_TLS_CERT_FILE: files.clientCert,
  TEMPORAL_TLS_KEY_FILE: files.clientKey,
};

const write = (file: string, pem: string, mode = 0o644) => fs.writeFileSync(file, pem, { mode });
const writePair = (cert: string, key: string, pem: Pem) => {
  write(cert, pem.cert);
  write(key, pem.key, 0o600);
};

/** Kept across starts, so running processes keep working; renewed a week before the CA runs out. */
async function ensureCertificates(): Promise<void> {
  if (Object.values(files).every((file) => fs.existsSync(file)) && validFor(fs.readFileSync(files.ca, 'utf8'), 7))
    return;
  fs.mkdirSync(tlsDir, { recursive: true });
  const { ca, issue } = await privateCa('communication-service local Temporal CA', 365);
  write(files.ca, ca.cert);
  writePair(files.serverCert, files.serverKey, await issue('localhost'));
  writePair(files.clientCert, files.clientKey, await issue('communication-service'));
}

/**
 * A second frontend of the profile's Temporal cluster that demands a client certificate (`requireClientAuth`), as a
 * self-hosted mTLS cluster does. It runs beside the plain frontend on 7233, which the stack's tools, the Web UI
 * and the tests' own clients keep using: only what is pointed at it needs certificates.
 */
export const temporalMtlsFrontend: StackServer = {
  name,
  ports: [ports.frontend, ports.membership],
  needs: [temporalClusterServer],
  startTimeoutMs: 60_000,
  urls: { 'Temporal gRPC, mTLS': `${address} (certificates in ${tlsDir})` },
  ensureBuilt: async () => {
    await temporalClusterServer.ensureBuilt();
    await ensureCertificates();
  },
  start: () =>
    spawnTemporalServer(name, home, ['frontend'], {
      grpcPort: ports.frontend,
      membershipPort: ports.membership,
      tls: { serverCert: files.serverCert, serverKey: files.serverKey, ca: files.ca },
    }),
  // Through the service's own TLS settings, so a ready stack has shown they work; read when probed, once written.
  probe: () => frontendAnswers(temporalConnectionOptions(loadTemporalConfig(temporalMtlsClientEnv)))(),
};
