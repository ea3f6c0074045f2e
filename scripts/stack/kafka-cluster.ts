import path from 'node:path';
import { kafkaNodeServer, kafkaVersion } from './kafka';
import { stackPaths } from './paths';
import { productionPorts, productionServerName } from './production-layout';
import type { StackServer } from './server';

const clusterDir = path.join(stackPaths.productionData, `kafka-${kafkaVersion}`);
/** What KAFKA_BROKERS is set to for this profile. */
export const kafkaBootstrap = productionPorts.kafka.map(({ broker }) => `127.0.0.1:${broker}`).join(',');

const voters = productionPorts.kafka.map(({ controller }, i) => ({ nodeId: i + 1, controllerPort: controller }));

/**
 * Three brokers, each also a voter of a three-node controller quorum, so one of them can die and the cluster keeps
 * both a controller majority and, with min.insync.replicas=2, accepts `acks=all` writes. Each is a server of its
 * own (pid, log) so that a test can kill one and start it again.
 */
export const kafkaBrokers: StackServer[] = productionPorts.kafka.map(({ broker, controller }, i) =>
  kafkaNodeServer(
    {
      name: productionServerName(`kafka-${i + 1}`),
      nodeId: i + 1,
      port: broker,
      controllerPort: controller,
      dataDir: path.join(clusterDir, `broker-${i + 1}`),
      configFile: path.join(clusterDir, `broker-${i + 1}.properties`),
      quorum: { voters, clusterIdFile: path.join(clusterDir, 'cluster-id') },
      replication: { factor: 3, minInsyncReplicas: 2 },
      // Three JVMs share two cores and the tests' own processes: a fixed, modest heap each.
      heap: { initial: '384m', max: '512m' },
      brokers: productionPorts.kafka.length,
    },
    i === 0 ? { 'Kafka bootstrap': kafkaBootstrap } : {},
  ),
);
