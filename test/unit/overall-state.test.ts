import assert from 'node:assert/strict';
import { overallState } from '../../src/workflows/overall-state';

describe('the overall delivery status of a message', () => {
  const cases: [Parameters<typeof overallState>[0], string][] = [
    [['sending', 'scheduled'], 'sending'],
    [['scheduled', 'sent'], 'scheduled'],
    [['sent'], 'sent'],
    [['sent', 'delivered'], 'sent'],
    [['delivered', 'delivered'], 'delivered'],
    [['sent', 'failed'], 'partial'],
    [['failed', 'expired'], 'failed'],
    [['cancelled', 'cancelled'], 'cancelled'],
    [['rejected'], 'rejected'],
  ];
  for (const [states, expected] of cases) {
    it(`channels ${states.join(' + ')} make the message ${expected}`, () => {
      assert.equal(overallState(states), expected);
    });
  }
});
