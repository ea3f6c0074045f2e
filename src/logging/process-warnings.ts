import type { Logger } from './logger';

/**
 * kafkajs 2.2.4 arms its request-queue timer with a negative delay when nothing is pending; Node 24 clamps it to
 * 1 ms and warns. Harmless (the check it schedules finds nothing to do), and printed at every connection.
 */
const harmless = (warning: Error) => warning.name === 'TimeoutNegativeWarning';

/**
 * Node's process warnings as pino lines instead of its own plain text on stderr. Node prints them from a
 * `warning` listener of its own, so replacing the listeners replaces the printing.
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    const fields = { warning: { name: warning.name, message: warning.message } };
    logger[harmless(warning) ? 'debug' : 'warn'](fields, 'Node.js process warning');
  });
}
