import type { WorkflowHandle } from '@temporalio/client';

/** Every string and every byte field (decoded as UTF-8) in a value, walked without the protobuf toJSON. */
function texts(value: unknown, out: string[], seen = new Set<object>()): void {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const child of Object.values(value)) texts(child, out, seen);
  }
}

/** A workflow's raw history as text, payload bytes decoded, as anyone with read access to the namespace sees it. */
export async function historyText(handle: WorkflowHandle): Promise<string> {
  const out: string[] = [];
  texts(await handle.fetchHistory(), out);
  return out.join('\n');
}
