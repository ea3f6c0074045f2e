import assert from 'node:assert/strict';
import { ProviderError } from '../../src/providers/types';

/** The adapter's refusal of a send that must fail. */
export async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, String(err));
    return err;
  }
  assert.fail('expected the provider to refuse');
}
