import path from 'node:path';
import { ferretdbOn, ferretdbServer } from './ferretdb';
import { kafkaServer } from './kafka';
import { kafkaBrokers } from './kafka-cluster';
import { postgresServer } from './postgres';
import { StackError } from './processes';
import { productionPorts, productionServerName } from './production-layout';
import { providerSandbox, sandboxServer } from './sandbox';
import type { StackServer } from './server';
import { temporalServer } from './temporal';
import { temporalMtlsFrontend } from './temporal-mtls-frontend';
import { temporalClusterServer } from './temporal-server';
import { temporalUiServer } from './temporal-ui';

export interface StackProfile {
  name: 'dev' | 'production';
  servers: StackServer[];
  /** How a user stops it, for the message that refuses to start the other profile beside it. */
  downCommand: string;
}

/** FerretDB's PostgreSQL backend, on a database of its own in the profile's PostgreSQL. */
export const ferretdbOnPostgres = ferretdbOn({
  name: productionServerName('ferretdb'),
  port: productionPorts.mongodb,
  needs: [postgresServer],
  storageArg: () => `-postgresql-url=postgres://ferretdb@127.0.0.1:${productionPorts.postgres}/ferretdb`,
});

export const productionSandbox = providerSandbox(productionServerName('sandbox'));

export const devProfile: StackProfile = {
  name: 'dev',
  servers: [temporalServer, kafkaServer, ferretdbServer, sandboxServer],
  downCommand: 'npm run stack:down',
};

export const productionProfile: StackProfile = {
  name: 'production',
  servers: [
    postgresServer,
    temporalClusterServer,
    temporalMtlsFrontend,
    temporalUiServer,
    ...kafkaBrokers,
    ferretdbOnPostgres,
    productionSandbox,
  ],
  downCommand: 'npm run stack:down -- --profile production',
};

export const profiles = [devProfile, productionProfile];

export const profileNamed = (name: string): StackProfile => {
  const profile = profiles.find((p) => p.name === name);
  if (profile === undefined)
    throw new StackError(`no profile ${name}; the profiles are ${profiles.map((p) => p.name).join(', ')}`);
  return profile;
};

/** Names without the profile's folder, for listings that already say which profile they are about. */
export const shortName = (serverName: string) => path.basename(serverName);
