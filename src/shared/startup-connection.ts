/** A dependency a process could not reach while starting: the message names it and where it was looked for. */
export class DependencyUnavailable extends Error {}

/** `mongodb://user:secret@host:27017/db?x=y` → `mongodb://host:27017/db`: addresses go to logs, credentials do not. */
export function addressOf(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//').replace(/\?.*$/, '');
}

const noAnswer = Symbol('no answer');

/**
 * Tries a start-up connection again until a deadline of our own, so processes may start in any order, and one
 * that cannot start says which dependency failed ("Temporal at 127.0.0.1:7233 unreachable after 10 s: …")
 * instead of a driver's generic deadline error.
 */
export async function connectTo<T>(
  dependency: string,
  address: string,
  connect: () => Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  for (let remaining = timeoutMs; remaining > 0; remaining = deadline - Date.now()) {
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<typeof noAnswer>((resolve) => {
      timer = setTimeout(() => resolve(noAnswer), remaining);
    });
    try {
      const outcome = await Promise.race([connect(), expiry]);
      if (outcome !== noAnswer) return outcome;
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      clearTimeout(timer);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, Math.max(0, deadline - Date.now()))));
  }
  throw new DependencyUnavailable(`${dependency} at ${address} unreachable after ${timeoutMs / 1000} s: ${lastError}`);
}
