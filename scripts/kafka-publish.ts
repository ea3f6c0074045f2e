import { Kafka, logLevel } from 'kafkajs';

/** `npm run kafka:publish -- <topic> < record.json`: one record per line of standard input, to the local broker. */
async function main(): Promise<void> {
  const topic = process.argv[2] ?? 'channels.messages';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const kafka = new Kafka({
    clientId: 'kafka-publish',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.WARN,
  });
  const producer = kafka.producer();
  await producer.connect();
  const [result] = await producer.send({ topic, acks: -1, messages: lines.map((value) => ({ value })) });
  await producer.disconnect();
  console.log(
    `published ${lines.length} record(s) to ${topic} partition ${result?.partition} from offset ${result?.baseOffset}`,
  );
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
