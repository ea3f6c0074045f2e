/**
 * JSON.parse keeps `"__proto__"` as an ordinary own key, but copied into an object later (by a schema
 * library, a spread, an assignment) it sets that object's prototype instead, or is silently dropped. No field
 * of ours has that name: parsed input that holds one is refused. Walked with an explicit stack, because a
 * reviver would make JSON.parse recurse, and deep nesting then overflows the call stack.
 */
export function hasProtoKey(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Object.prototype.hasOwnProperty.call(next, '__proto__')) return true;
    for (const child of Object.values(next)) pending.push(child);
  }
  return false;
}

export const protoKeyMessage = '"__proto__" is not allowed as a key';
