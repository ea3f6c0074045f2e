import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { stackPaths } from './paths';
import { ensureMavenJars } from './maven-jars';
import { spawnDetached, StackError } from './processes';
import type { StackServer } from './server';

/**
 * The broker line users run. Kafka 4 removed old protocol versions (KIP-896), but kafkajs 2.2.4 negotiates
 * versions above the new minimums; a probe of admin, producer, groups and transactions passed on 4.0.1 and 4.4.0.
 */
const kafkaVersion = '4.4.0';
const port = 9092;
const controllerPort = 9093;

const home = path.join(stackPaths.kafka, kafkaVersion);
const libDir = path.join(home, 'lib');
const dataDir = path.join(stackPaths.data, `kafka-${kafkaVersion}`);
const configFile = path.join(home, 'server.properties');
const log4jFile = path.join(home, 'log4j2.yaml');

const serverProperties = `process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${dataDir}
num.partitions=3
# A single node: without replication factor 1 here, consumer groups never get a coordinator.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
`;

const log4jConfig = `Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: kafka.server.KafkaRaftServer
        level: INFO
`;

const classpath = () => `${libDir}/*`;

function javaAvailable(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new StackError(
      'kafka: `java` is not on PATH; install a JDK 17 or newer (apt-get install openjdk-17-jre-headless)',
    );
  }
}

async function ensureBuilt(): Promise<void> {
  javaAvailable();
  await ensureMavenJars(`kafka-${kafkaVersion}`, home, [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: kafkaVersion },
    // Kafka 4 logs through log4j2 but still ships the slf4j 1.7 API, so the binding is log4j-slf4j-impl.
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: '2.24.3' },
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: '2.24.3' },
  ]);
  fs.writeFileSync(configFile, serverProperties);
  fs.writeFileSync(log4jFile, log4jConfig);
}

function formatStorageOnce(): void {
  if (fs.existsSync(path.join(dataDir, 'meta.properties'))) return;
  fs.mkdirSync(dataDir, { recursive: true });
  const java = (args: string[]) =>
    execFileSync('java', [`-Dlog4j2.configurationFile=file:${log4jFile}`, '-cp', classpath(), ...args], {
      encoding: 'utf8',
    }).trim();
  const clusterId = java(['kafka.tools.StorageTool', 'random-uuid']);
  // --standalone formats a one-node dynamic controller quorum (KIP-853), the form controller.quorum.bootstrap.servers uses.
  java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', configFile, '--standalone']);
}

export const kafkaServer: StackServer = {
  name: 'kafka',
  ports: [port, controllerPort],
  startTimeoutMs: 90_000,
  urls: { 'Kafka bootstrap': `127.0.0.1:${port}` },
  ensureBuilt,
  start: () => {
    formatStorageOnce();
    return spawnDetached('kafka', 'java', [
      '-Xms256m',
      '-Xmx1g',
      `-Dlog4j2.configurationFile=file:${log4jFile}`,
      '-cp',
      classpath(),
      'kafka.Kafka',
      configFile,
    ]);
  },
  probe: async () => {
    const admin = new Kafka({
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { retries: 0 },
    }).admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      return brokers.length > 0;
    } finally {
      await admin.disconnect();
    }
  },
};
