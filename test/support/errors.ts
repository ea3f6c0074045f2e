import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { harness } from './harness';

/**
 * SPEC: every HTTP error is `{ error: { code, message, details: [{ path, issue }] } }`; ours add the request's id
 * (README "Logs").
 */
export interface ErrorBody {
  error: { code: string; message: string; details: { path: string; issue: string }[]; requestId: string };
}

export function assertErrorShape(body: ErrorBody, code: string) {
  assert.equal(body.error.code, code, JSON.stringify(body));
  assert.equal(typeof body.error.message, 'string');
  assert.match(body.error.requestId, /^\S{1,128}$/, JSON.stringify(body));
  assert.ok(Array.isArray(body.error.details));
  for (const detail of body.error.details) {
    assert.equal(typeof detail.path, 'string');
    assert.equal(typeof detail.issue, 'string');
  }
}

export async function assertNoWorkflow(clientId: string, messageId: string) {
  const { temporal } = await harness();
  await assert.rejects(temporal.workflow.getHandle(`msg:${clientId}:${messageId}`).describe(), WorkflowNotFoundError);
}
