import type { Producer } from 'kafkajs';
import { ackEventId, type Ack } from './ack';

/** Publishes to the ack topic keyed by messageId, so every ack of one message lands on one partition in order. */
export function kafkaAckPublisher(producer: Producer, topic: string) {
  return async (ack: Ack): Promise<void> => {
    await producer.send({
      topic,
      messages: [{ key: ack.messageId, value: JSON.stringify(ack), headers: { 'event-id': ackEventId(ack) } }],
    });
  };
}
