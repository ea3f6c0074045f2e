/**
 * Errors of the MongoDB driver and mongoose that mean "the database did not answer", as opposed to a query it
 * refused. They carry the class name even through mongoose's wrappers, which is what is matched here.
 */
const unavailableNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/** mongoose queues commands while it reconnects and gives up after `bufferTimeoutMS` with a plain MongooseError. */
const bufferingTimeout = /buffering timed out/;

/**
 * A write to a socket the server has just closed reaches the caller as Node's own error, unwrapped by the driver
 * ("This socket has been ended by the other party", EPIPE: seen as 3 of 300 sends while FerretDB on PostgreSQL
 * stopped). The API's only raw-socket dependency is MongoDB (Temporal's errors come as ServiceErrors).
 */
const socketCodes = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (typeof e.name === 'string' && unavailableNames.has(e.name)) return true;
    if (typeof e.code === 'string' && socketCodes.has(e.code)) return true;
    if (e.name === 'MongooseError' && typeof e.message === 'string' && bufferingTimeout.test(e.message)) return true;
  }
  return false;
}
