import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { stackPaths } from './paths';
import { ensureMavenJars } from './maven-jars';
import { spawnDetached, StackError } from './processes';
import type { StackServer } from './server';

const exec = promisify(execFile);

/**
 * The broker line users run. Kafka 4 removed old protocol versions (KIP-896), but kafkajs 2.2.4 negotiates
 * versions above the new minimums; a probe of admin, producer, groups and transactions passed on 4.0.1 and 4.4.0.
 */
export const kafkaVersion = '4.4.0';

const home = path.join(stackPaths.kafka, kafkaVersion);
const libDir = path.join(home, 'lib');
const log4jFile = path.join(home, 'log4j2.yaml');

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

/** One KRaft node in combined mode (broker and controller in one JVM). */
export interface KafkaNode {
  name: string;
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  configFile: string;
  /**
   * `standalone`: a one-node dynamic quorum (KIP-853), formatted with --standalone. Otherwise the static voter list
   * of a multi-node cluster, which every node is formatted against with one shared cluster id.
   */
  quorum: 'standalone' | { voters: { nodeId: number; controllerPort: number }[]; clusterIdFile: string };
  replication: { factor: number; minInsyncReplicas: number };
  heap: { initial: string; max: string };
  /** Ready when this node's metadata lists that many brokers. */
  brokers: number;
}

const quorumProperties = (node: KafkaNode) =>
  node.quorum === 'standalone'
    ? `controller.quorum.bootstrap.servers=127.0.0.1:${node.controllerPort}`
    : `controller.quorum.voters=${node.quorum.voters.map((v) => `${v.nodeId}@127.0.0.1:${v.controllerPort}`).join(',')}`;

const serverProperties = (node: KafkaNode) => {
  const { factor, minInsyncReplicas } = node.replication;
  return `process.roles=broker,controller
node.id=${node.nodeId}
${quorumProperties(node)}
listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${node.dataDir}
num.partitions=3
default.replication.factor=${factor}
min.insync.replicas=${minInsyncReplicas}
# The internal topics too: with a factor above the broker count consumer groups never get a coordinator.
offsets.topic.replication.factor=${factor}
transaction.state.log.replication.factor=${factor}
transaction.state.log.min.isr=${minInsyncReplicas}
share.coordinator.state.topic.replication.factor=${factor}
share.coordinator.state.topic.min.isr=${minInsyncReplicas}
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
`;
};

function javaAvailable(name: string): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new StackError(
      `${name}: \`java\` is not on PATH; install a JDK 17 or newer (apt-get install openjdk-17-jre-headless)`,
    );
  }
}

async function ensureBuilt(node: KafkaNode): Promise<void> {
  javaAvailable(node.name);
  await ensureMavenJars(`kafka-${kafkaVersion}`, home, [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: kafkaVersion },
    // Kafka 4 logs through log4j2 but still ships the slf4j 1.7 API, so the binding is log4j-slf4j-impl.
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: '2.24.3' },
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: '2.24.3' },
  ]);
  fs.mkdirSync(path.dirname(node.configFile), { recursive: true });
  fs.writeFileSync(node.configFile, serverProperties(node));
  fs.writeFileSync(log4jFile, log4jConfig);
}

/**
 * What `StorageTool random-uuid` prints (a version-4 UUID as unpadded base64url, never starting with `-`), without
 * starting a JVM for it.
 */
function randomClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The nodes of one cluster share its id: the first node formatted makes it, the others read it. */
function clusterId(node: KafkaNode): string {
  if (node.quorum === 'standalone') return randomClusterId();
  const file = node.quorum.clusterIdFile;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomClusterId());
  }
  return fs.readFileSync(file, 'utf8').trim();
}

// Asynchronous: the nodes of a cluster format at the same time, and other servers' probes keep running meanwhile.
async function formatStorageOnce(node: KafkaNode): Promise<void> {
  if (fs.existsSync(path.join(node.dataDir, 'meta.properties'))) return;
  fs.mkdirSync(node.dataDir, { recursive: true });
  const standalone = node.quorum === 'standalone' ? ['--standalone'] : [];
  const java = [`-Dlog4j2.configurationFile=file:${log4jFile}`, '-cp', classpath(), 'kafka.tools.StorageTool'];
  const format = ['format', '-t', clusterId(node), '-c', node.configFile, ...standalone];
  await exec('java', [...java, ...format]).catch((err: { stderr?: string; message: string }) => {
    throw new StackError(`${node.name}: formatting ${node.dataDir} failed: ${err.stderr?.trim() || err.message}`);
  });
}

export const kafkaNodeServer = (node: KafkaNode, urls: Record<string, string>): StackServer => ({
  name: node.name,
  ports: [node.port, node.controllerPort],
  startTimeoutMs: 90_000,
  urls,
  ensureBuilt: () => ensureBuilt(node),
  start: async () => {
    await formatStorageOnce(node);
    return spawnDetached(node.name, 'java', [
      `-Xms${node.heap.initial}`,
      `-Xmx${node.heap.max}`,
      `-Dlog4j2.configurationFile=file:${log4jFile}`,
      '-cp',
      classpath(),
      'kafka.Kafka',
      node.configFile,
    ]);
  },
  probe: async () => {
    const admin = new Kafka({
      brokers: [`127.0.0.1:${node.port}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { retries: 0 },
    }).admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      return brokers.length >= node.brokers;
    } finally {
      await admin.disconnect();
    }
  },
});

export const kafkaServer = kafkaNodeServer(
  {
    name: 'kafka',
    nodeId: 1,
    port: 9092,
    controllerPort: 9093,
    dataDir: path.join(stackPaths.data, `kafka-${kafkaVersion}`),
    configFile: path.join(home, 'server.properties'),
    quorum: 'standalone',
    replication: { factor: 1, minInsyncReplicas: 1 },
    heap: { initial: '256m', max: '1g' },
    brokers: 1,
  },
  { 'Kafka bootstrap': '127.0.0.1:9092' },
);
