import pino from 'pino';

/** Credentials never reach a log line, whatever object a caller logs. */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers["x-postmark-server-token"]',
  '*.apiKey',
  '*.secret',
  '*.serverToken',
  '*.password',
];

export const createLogger = (level: string, name: string, destination?: pino.DestinationStream) =>
  pino({ name, level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);

export type Logger = pino.Logger;

/** d***@example.com: enough for support to recognise a recipient, not enough to harvest one. */
export const maskEmail = (email: string) => {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
};

/** A device token is a bearer credential for its device: only its last six characters, to tell tokens apart. */
export const maskToken = (token: string) => `***${token.slice(-6)}`;

/** +97250****567: country and operator prefix plus the last three digits. */
export const maskPhone = (phone: string) =>
  phone.length <= 7 ? '***' : `${phone.slice(0, 6)}${'*'.repeat(phone.length - 9)}${phone.slice(-3)}`;

/**
 * A process that cannot start or stops on an error says so in the same JSON as its other lines, before it exits
 * (a startup error's message names the setting or dependency at fault; no stack is needed for those).
 */
export function exitWithError(name: string, err: unknown, withStack = false): never {
  const logger = createLogger('fatal', name, pino.destination({ fd: 2, sync: true }));
  if (withStack) logger.fatal({ err }, (err as Error)?.message ?? String(err));
  else logger.fatal((err as Error)?.message ?? String(err));
  process.exit(1);
}
