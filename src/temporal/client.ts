import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from './data-converter';
import type { Config } from '../config';
import { temporalConnectionOptions } from './connection-options';

export async function createTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(config) });
}
