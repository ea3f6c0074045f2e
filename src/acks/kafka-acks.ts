import type { Message, Producer } from 'kafkajs';
import { ackEventId, type Ack } from './ack';

/** More than this many waiting acks go out in several requests, so one request stays well under the broker's size limit. */
const MAX_ACKS_PER_REQUEST = 500;

interface Waiting {
  message: Message;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Publishes to the ack topic keyed by messageId, so every ack of one message lands on one partition in order.
 *
 * One produce request is in flight at a time; acks that arrive meanwhile go out together in the next one. An
 * idle service sends each ack at once, a busy one sends a request per broker round trip instead of per ack,
 * which is most of what the broker and kafkajs spend on acks. A failed request fails each of its acks, and the
 * local activity that published it retries.
 */
export function kafkaAckPublisher(producer: Pick<Producer, 'send'>, topic: string) {
  const waiting: Waiting[] = [];
  let sending = false;

  const drain = async () => {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, MAX_ACKS_PER_REQUEST);
      try {
        // acks=all (kafkajs's default, spelled out): an ack counts once every in-sync replica has it.
        await producer.send({ topic, acks: -1, messages: batch.map((w) => w.message) });
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    sending = false;
  };

  return (ack: Ack): Promise<void> =>
    new Promise((resolve, reject) => {
      const message = { key: ack.messageId, value: JSON.stringify(ack), headers: { 'event-id': ackEventId(ack) } };
      waiting.push({ message, resolve, reject });
      if (!sending) void drain();
    });
}
