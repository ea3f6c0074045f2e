import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from './data-converter';
import type { TemporalConfig } from '../config';
import { connectTo } from '../shared/startup-connection';
import { tracingClientInterceptors } from '../telemetry/temporal-tracing';
import { temporalConnectionOptions } from './connection-options';

/** A client connection from configuration, retried at start and failing with Temporal's name and address. */
export const connectToTemporal = (config: TemporalConfig): Promise<Connection> =>
  connectTo('Temporal', config.TEMPORAL_ADDRESS, () => Connection.connect(temporalConnectionOptions(config)));

export async function createTemporalClient(config: TemporalConfig): Promise<Client> {
  const connection = await connectToTemporal(config);
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(config),
    interceptors: tracingClientInterceptors(),
  });
}
