import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from './data-converter';
import type { TemporalConfig } from '../config';
import { connectTo } from '../shared/startup-connection';
import { temporalConnectionOptions } from './connection-options';

export async function createTemporalClient(config: TemporalConfig): Promise<Client> {
  const connection = await connectTo('Temporal', config.TEMPORAL_ADDRESS, () =>
    Connection.connect(temporalConnectionOptions(config)),
  );
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(config) });
}
