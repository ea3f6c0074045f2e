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
