/**
 * A JSON.parse reviver. JSON.parse keeps `"__proto__"` as an ordinary key, but copied into an object later
 * (by a schema library, a spread, an assignment) it sets that object's prototype instead, or is silently
 * dropped. No field of ours has that name: refuse it while parsing.
 */
export function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('"__proto__" is not allowed as a key');
  return value;
}
