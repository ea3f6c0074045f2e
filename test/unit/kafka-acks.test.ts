import assert from 'node:assert/strict';
import type { ProducerRecord, RecordMetadata } from 'kafkajs';
import type { Ack } from '../../src/acks/ack';
import { kafkaAckPublisher } from '../../src/acks/kafka-acks';

const ack = (n: number): Ack => ({
  clientId: 'acme',
  messageId: `m-${n}`,
  workflowId: `msg:acme:m-${n}`,
  channel: 'email',
  state: 'sent',
  time: '2026-11-26T10:00:00.000Z',
});

/** A producer whose requests stay open until the test answers them, in order. */
class HeldProducer {
  requests: { record: ProducerRecord; answer: (err?: Error) => void }[] = [];
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return new Promise((resolve, reject) => {
      this.requests.push({ record, answer: (err) => (err ? reject(err) : resolve([])) });
    });
  }
  keys(request: number) {
    return this.requests[request]?.record.messages.map((m) => m.key);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('kafkaAckPublisher (acks that wait for the broker go out together)', () => {
  it('sends the first ack at once and those that arrive meanwhile in one request, in order', async () => {
    const producer = new HeldProducer();
    const publish = kafkaAckPublisher(producer, 'channels.acks');
    const first = publish(ack(1));
    await tick();
    assert.equal(producer.requests.length, 1);
    assert.deepEqual(producer.keys(0), ['m-1']);

    const later = [2, 3, 4].map((n) => publish(ack(n)));
    await tick();
    assert.equal(producer.requests.length, 1, 'nothing more is sent while a request is open');
    producer.requests[0]?.answer();
    await first;
    await tick();
    assert.deepEqual(producer.keys(1), ['m-2', 'm-3', 'm-4']);
    assert.equal(producer.requests[1]?.record.topic, 'channels.acks');
    const headers = producer.requests[1]?.record.messages[0]?.headers;
    assert.equal(headers?.['event-id'], 'msg:acme:m-2:email:sent');
    producer.requests[1]?.answer();
    await Promise.all(later);
  });

  it('fails every ack of a refused request, and the next ones still go out', async () => {
    const producer = new HeldProducer();
    const publish = kafkaAckPublisher(producer, 'channels.acks');
    const first = publish(ack(1));
    const refused = [2, 3].map((n) => publish(ack(n)));
    await tick();
    producer.requests[0]?.answer();
    await first;
    await tick();
    producer.requests[1]?.answer(new Error('broker down'));
    for (const outcome of await Promise.allSettled(refused)) assert.equal(outcome.status, 'rejected');

    const next = publish(ack(4));
    await tick();
    assert.deepEqual(producer.keys(2), ['m-4']);
    producer.requests[2]?.answer();
    await next;
  });

  it('splits a long queue into requests of at most 500 acks', async () => {
    const producer = new HeldProducer();
    const publish = kafkaAckPublisher(producer, 'channels.acks');
    const first = publish(ack(0));
    const queued = Array.from({ length: 1200 }, (_, i) => publish(ack(i + 1)));
    await tick();
    producer.requests[0]?.answer();
    await first;
    for (let request = 1; request <= 3; request++) {
      await tick();
      producer.requests[request]?.answer();
    }
    await Promise.all(queued);
    assert.deepEqual(
      producer.requests.map((r) => r.record.messages.length),
      [1, 500, 500, 200],
    );
  });
});
