/** One server of the local stack: how to get it into the cache, start it, and tell when it is ready. */
export interface StackServer {
  /** Names its pid and log files; a profile's servers are named `<profile>/<part>` (see profiles.ts). */
  name: string;
  ports: number[];
  /** Builds or fetches the server into the cache unless a verified copy is already there. */
  ensureBuilt: () => Promise<void>;
  /** Servers that must be ready before this one starts (in the same `up`, or already running). */
  needs?: StackServer[];
  /** Spawns the server detached and returns its pid. */
  start: () => number | Promise<number>;
  /** Polled after start until it resolves true: the server answers. */
  probe: () => Promise<boolean>;
  /**
   * What the server needs once it answers, before anyone uses it (databases, a namespace, search attributes).
   * Idempotent, so it runs on every `up`; polled like the probe until it resolves true, because some of it becomes
   * visible only after the server's caches refresh.
   */
  setUp?: () => Promise<boolean>;
  startTimeoutMs: number;
  /** The signal that stops it cleanly (PostgreSQL's fast shutdown is SIGINT; SIGTERM waits for every client). */
  stopSignal?: NodeJS.Signals;
  urls: Record<string, string>;
}
