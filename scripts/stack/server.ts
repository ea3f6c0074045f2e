/** One server of the local stack: how to get it into the cache, start it, and tell when it is ready. */
export interface StackServer {
  name: string;
  ports: number[];
  /** Builds or fetches the server into the cache unless a verified copy is already there. */
  ensureBuilt: () => Promise<void>;
  /** Spawns the server detached and returns its pid. */
  start: () => number;
  probe: () => Promise<boolean>;
  startTimeoutMs: number;
  urls: Record<string, string>;
}
