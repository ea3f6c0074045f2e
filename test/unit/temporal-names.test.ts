import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { errorTypes, isMessageWorkflowId, messageWorkflowId } from '../../src/shared/temporal-names';

const histories = path.join(__dirname, '..', 'workflows', 'histories');

/** The failure types the retry policies of a recorded history's activities treat as final. */
function nonRetryableTypes(file: string): string[] {
  const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(histories, file)));
  return (history.events ?? []).flatMap(
    (event) => event.activityTaskScheduledEventAttributes?.retryPolicy?.nonRetryableErrorTypes ?? [],
  );
}

describe('the names this service gives Temporal', () => {
  it("recognises a message's workflow ID by the prefix messageWorkflowId gives it", () => {
    assert.equal(messageWorkflowId('acme', 'order-17'), 'msg:acme:order-17');
    assert.ok(isMessageWorkflowId(messageWorkflowId('acme', 'order-17')));
    for (const other of ['', 'msg', 'MSG:acme:1', 'cron:msg:acme:1', ' msg:acme:1']) {
      assert.equal(isMessageWorkflowId(other), false, other);
    }
  });

  it('still raises every failure type that the recorded histories name as final', () => {
    const known = new Set<string>(Object.values(errorTypes));
    for (const file of fs.readdirSync(histories).filter((name) => name.endsWith('.pb'))) {
      const named = nonRetryableTypes(file);
      assert.ok(named.length > 0, `${file} schedules no activity with a retry policy`);
      for (const type of named) assert.ok(known.has(type), `${file} names ${type}, which errorTypes no longer has`);
    }
  });
});
