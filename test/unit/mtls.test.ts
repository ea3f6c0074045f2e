import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Connection } from '@temporalio/client';
import { privateCa, type AltName } from '../../scripts/tls/certificates';
import { loadBridgeConfig } from '../../src/config';
import { createKafka } from '../../src/kafka/kafka-client';
import { temporalConnectionOptions } from '../../src/temporal/connection-options';

/** A private CA, a server certificate from it for `altName`, and a client certificate from it. */
async function pki(dir: string, altName: AltName) {
  const { ca, issue } = await privateCa('test CA', 1);
  const server = await issue('server', [altName]);
  const client = await issue('communication-service');
  const files = {
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'client.pem'),
    key: path.join(dir, 'client-key.pem'),
  };
  fs.writeFileSync(files.ca, ca.cert);
  fs.writeFileSync(files.cert, client.cert);
  fs.writeFileSync(files.key, client.key);
  return { files, ca: ca.cert, server };
}

/**
 * A TLS server that demands a client certificate from the CA and records who connected: whatever the client
 * then speaks (gRPC, Kafka) is never answered, the handshake is what is under test.
 */
async function mtlsServer(material: Awaited<ReturnType<typeof pki>>, alpn?: string[]) {
  const peers: { cn: unknown; authorized: boolean }[] = [];
  const server = tls.createServer(
    {
      key: material.server.key,
      cert: material.server.cert,
      ca: [material.ca],
      requestCert: true,
      rejectUnauthorized: true,
      ...(alpn ? { ALPNProtocols: alpn } : {}),
    },
    (socket) => {
      peers.push({ cn: socket.getPeerCertificate().subject?.CN, authorized: socket.authorized });
      socket.destroy();
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, peers, close: () => server.close() };
}

describe('mTLS to Temporal and Kafka, through a real TLS handshake', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mtls-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('Temporal: presents the client certificate, trusts the private CA, verifies the overridden server name', async () => {
    const material = await pki(dir, { type: 2, value: 'temporal.internal' });
    const server = await mtlsServer(material, ['h2']);
    try {
      const config = loadBridgeConfig({
        TEMPORAL_ADDRESS: `127.0.0.1:${server.port}`,
        TEMPORAL_TLS_CERT_FILE: material.files.cert,
        TEMPORAL_TLS_KEY_FILE: material.files.key,
        TEMPORAL_TLS_CA_FILE: material.files.ca,
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      });
      await assert.rejects(Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: 3_000 }));
      assert.deepEqual(server.peers[0], { cn: 'communication-service', authorized: true });
    } finally {
      server.close();
    }
  });

  /** A Kafka client of ours with these settings against an mTLS server; resolves with who the server saw. */
  async function kafkaHandshake(env: (files: Awaited<ReturnType<typeof pki>>['files']) => NodeJS.ProcessEnv) {
    const material = await pki(dir, { type: 7, ip: '127.0.0.1' });
    const server = await mtlsServer(material);
    try {
      const config = loadBridgeConfig({ KAFKA_BROKERS: `127.0.0.1:${server.port}`, ...env(material.files) });
      await assert.rejects(
        createKafka(config)
          .admin({ retry: { retries: 0 } })
          .connect(),
      );
      return server.peers;
    } finally {
      server.close();
    }
  }

  it('Kafka: presents the client certificate and trusts the private CA', async () => {
    const peers = await kafkaHandshake((files) => ({
      KAFKA_SSL_CA_FILE: files.ca,
      KAFKA_SSL_CERT_FILE: files.cert,
      KAFKA_SSL_KEY_FILE: files.key,
    }));
    // kafkajs reconnects a few times after the server hangs up: every attempt presents the certificate.
    assert.ok(peers.length > 0);
    for (const peer of peers) assert.deepEqual(peer, { cn: 'communication-service', authorized: true });
  });

  it('without a client certificate the same server refuses the handshake: the test can fail', async () => {
    assert.deepEqual(await kafkaHandshake((files) => ({ KAFKA_SSL_CA_FILE: files.ca })), []);
  });
});
