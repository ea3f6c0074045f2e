import assert from 'node:assert/strict';
import { createEmailClient, createSmsClient } from '../support/clients';
import { type ErrorBody } from '../support/errors';
import { harness } from '../support/harness';
import { loadEnv } from '../support/load';
import { rawRequest, type RawAnswer } from '../support/raw-http';
import { spawnService, type ServiceProcess } from '../support/service-process';

type Send = (api: string, keys: { client: string; admin: string }) => Promise<RawAnswer>;
interface HostileCase {
  name: string;
  send: Send;
}

const tenMegabytes = 10 * 1024 * 1024;
const valid = () => ({
  recipient: { email: 'dana@example.com', phone: '+15551234567' },
  content: { email: { subject: 'Hi', text: 'Hello' }, sms: { body: 'Hello' } },
});

/** A request through fetch, answered as raw text. */
const viaFetch =
  (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, admin = false): Send =>
  async (api, keys) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin ? keys.admin : keys.client}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body,
    });
    return { status: response.status, headers: '', body: await response.text() };
  };

const post = (body: unknown, path = '/v1/messages') => viaFetch('POST', path, JSON.stringify(body));
const withField = (set: (message: ReturnType<typeof valid> & Record<string, unknown>) => void) => {
  const message = valid() as ReturnType<typeof valid> & Record<string, unknown>;
  set(message);
  return post(message);
};
/** A valid message plus one field given as JSON text: for values JSON.stringify cannot build (too deep). */
const withRawField = (name: string, json: string) =>
  viaFetch('POST', '/v1/messages', JSON.stringify(valid()).replace(/}$/, `,${JSON.stringify(name)}:${json}}`));
const deep = (open: string, close: string, depth: number, core = '1') =>
  `${open.repeat(depth)}${core}${close.repeat(depth)}`;
/** PUT of a client profile (admin key) whose email window carries `extra`. */
const profileWithWindow = (extra: Record<string, unknown>) =>
  viaFetch(
    'PUT',
    '/v1/admin/clients/hostile-profile',
    JSON.stringify({
      name: 'x',
      timezone: 'UTC',
      channels: {
        email: {
          enabled: true,
          from: 'a@b.example',
          window: { rules: [{ days: ['mon'], from: '09:00', to: '17:00' }], ...extra },
        },
      },
    }),
    {},
    true,
  );
const raw =
  (lines: (keys: { client: string }) => string | Buffer): Send =>
  (api, keys) =>
    rawRequest(api, lines(keys));

const injections = [
  "' OR '1'='1",
  '"; DROP TABLE messages; --',
  '{"$gt": ""}',
  '$where: function() { return true }',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '; rm -rf / #',
  '*)(uid=*))(|(uid=*',
  '\r\nSet-Cookie: session=stolen',
  'nul\u0000byte',
  '%00%0d%0a',
  'javascript:alert(document.cookie)',
  '() { :; }; echo shellshock',
];

const corpus: HostileCase[] = [
  ...injections.flatMap((text) => [
    { name: `messageId ${JSON.stringify(text)}`, send: withField((m) => (m.messageId = text)) },
    { name: `clientId ${JSON.stringify(text)}`, send: withField((m) => (m.clientId = text)) },
    { name: `email ${JSON.stringify(text)}`, send: withField((m) => (m.recipient.email = text)) },
    { name: `phone ${JSON.stringify(text)}`, send: withField((m) => (m.recipient.phone = text)) },
    {
      name: `timezone ${JSON.stringify(text)}`,
      send: withField((m) => Object.assign(m.recipient, { timezone: text })),
    },
    { name: `path ${JSON.stringify(text)}`, send: viaFetch('GET', `/v1/messages/${encodeURIComponent(text)}`) },
  ]),
  // Operators and prototypes where strings belong.
  { name: 'messageId as a $gt operator', send: withField((m) => (m.messageId = { $gt: '' } as never)) },
  { name: 'email as a $ne operator', send: withField((m) => (m.recipient.email = { $ne: null } as never)) },
  { name: 'clientId as a $regex', send: withField((m) => (m.clientId = { $regex: '.*' } as never)) },
  {
    name: '__proto__ in the body',
    send: viaFetch('POST', '/v1/messages', '{"__proto__":{"admin":true},"recipient":{}}'),
  },
  { name: 'constructor.prototype', send: withField((m) => (m.constructor = { prototype: { admin: true } } as never)) },
  {
    name: '__proto__ in metadata',
    send: withRawField('metadata', '{"__proto__":{"x":1}}'),
  },
  // Sizes and depth.
  { name: '10 MB JSON string field', send: withField((m) => (m.content.sms.body = 'x'.repeat(tenMegabytes))) },
  { name: '10 MB of opening brackets', send: viaFetch('POST', '/v1/messages', '['.repeat(tenMegabytes)) },
  {
    name: '10 MB text/plain',
    send: viaFetch('POST', '/v1/messages', 'y'.repeat(tenMegabytes), { 'content-type': 'text/plain' }),
  },
  {
    name: '10 MB declared, little sent',
    send: raw(
      (k) =>
        `POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${k.client}\r\nContent-Type: application/json\r\nContent-Length: ${tenMegabytes}\r\n\r\n{"recipient":`,
    ),
  },
  {
    name: 'nesting 50,000 deep in metadata',
    send: withRawField('metadata', deep('[', ']', 50_000)),
  },
  {
    name: 'nesting 50,000 deep in an unknown field',
    send: withRawField('deep', deep('{"a":', '}', 50_000)),
  },
  {
    name: 'nesting 10,000 deep in recipient',
    send: viaFetch('POST', '/v1/messages', `{"content":{},"recipient":${deep('{"email":', '}', 10_000)}}`),
  },
  {
    name: '100,000 metadata keys',
    send: withField((m) => (m.metadata = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])))),
  },
  {
    name: '100,000 push tokens',
    send: withField((m) => Object.assign(m.recipient, { pushTokens: Array(100_000).fill('t'.repeat(30)) })),
  },
  // Unicode.
  {
    name: 'lone surrogate in messageId',
    send: viaFetch('POST', '/v1/messages', JSON.stringify(valid()).replace(/^{/, '{"messageId":"a\\ud800b",')),
  },
  { name: 'right-to-left override in messageId', send: withField((m) => (m.messageId = 'order\u202e71')) },
  { name: 'zero-width space in phone', send: withField((m) => (m.recipient.phone = '+1555\u200b1234567')) },
  { name: 'fullwidth digits in phone', send: withField((m) => (m.recipient.phone = '＋１５５５１２３４５６７')) },
  { name: 'emoji in clientId', send: withField((m) => (m.clientId = 'acme🔥')) },
  {
    name: 'combining mark in timezone',
    send: withField((m) => Object.assign(m.recipient, { timezone: 'Europe/Zu\u0308rich' })),
  },
  {
    name: 'invalid UTF-8 bytes in the body',
    send: viaFetch('POST', '/v1/messages', Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
  },
  {
    name: 'UTF-7 charset',
    send: viaFetch('POST', '/v1/messages', JSON.stringify(valid()), {
      'content-type': 'application/json; charset=utf-7',
    }),
  },
  { name: 'email with a newline', send: withField((m) => (m.recipient.email = 'dana@example.com\nbcc@evil.example')) },
  { name: 'messageId of 10,000 characters', send: withField((m) => (m.messageId = 'm'.repeat(10_000))) },
  // Zones and dates.
  ...['Mars/Olympus_Mons', 'UTC+25:00', 'Etc/GMT+99', 'America/New_York ', '', 'Z'.repeat(10_000)].map((zone) => ({
    name: `zone ${JSON.stringify(zone.slice(0, 20))}`,
    send: withField((m) => Object.assign(m.recipient, { timezone: zone })),
  })),
  ...[
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '2026-13-45T25:61:61Z',
    '0000-00-00T00:00:00Z',
    'tomorrow',
  ].map((at) => ({
    name: `expiresAt ${at}`,
    send: withField((m) => (m.expiresAt = at)),
  })),
  { name: 'expiresAt as a huge number', send: withField((m) => (m.expiresAt = 1e308 as never)) },
  {
    name: 'a blackout in year 9999 (admin)',
    send: profileWithWindow({ blackouts: [{ from: '9999-12-25', to: '9999-12-26' }] }),
  },
  { name: 'maxDefer of ten thousand years (admin)', send: profileWithWindow({ maxDefer: 'P10000Y' }) },
  // Headers and framing that fetch will not send.
  ...[
    [
      'bare LF inside a header value',
      (k: { client: string }) =>
        `POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${k.client}\nX-Injected: 1\r\nContent-Length: 2\r\n\r\n{}`,
    ],
    [
      'CR inside a header value',
      (k: { client: string }) =>
        `GET /v1/messages/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${k.client}\rSet-Cookie: a=b\r\n\r\n`,
    ],
    ['CRLF in the request target', () => 'GET /v1/messages/a\r\nX-Evil: 1 HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['space in a header name', () => 'GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n'],
    [
      'both Content-Length and Transfer-Encoding',
      () => 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'an invalid chunk size',
      () =>
        'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
    ],
    ['80 KB of headers', () => `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(80 * 1024)}\r\n\r\n`],
    ['NUL in a header value', () => 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n'],
    ['HTTP/0.9 style request', () => 'GET /\r\n\r\n'],
    ['a method that is not a method', () => 'G\u00e9T /v1/messages HTTP/1.1\r\nHost: x\r\n\r\n'],
  ].map(([name, lines]) => ({ name: `raw: ${name as string}`, send: raw(lines as (k: { client: string }) => string) })),
  // Routes and keys.
  { name: 'TRACE on the messages route', send: viaFetch('PATCH', '/v1/messages/x') },
  { name: 'the admin API with a client key', send: viaFetch('GET', '/v1/admin/clients/anyone') },
  { name: 'a path of 8,000 characters', send: viaFetch('GET', `/v1/messages/${'p'.repeat(8_000)}`) },
];

const isErrorShape = (text: string) => {
  try {
    const { error } = JSON.parse(text) as ErrorBody;
    return typeof error.code === 'string' && typeof error.message === 'string' && Array.isArray(error.details);
  } catch {
    return false;
  }
};

describe(`fault: ${corpus.length} hostile HTTP inputs against an API process`, () => {
  let api: ServiceProcess | undefined;
  after(async () => api?.kill('SIGTERM'));

  it('answers each with a 4xx in the error shape; the process never crashes and its memory stays bounded', async function () {
    this.timeout(300_000);
    assert.ok(corpus.length >= 100, `${corpus.length} inputs`);
    await harness();
    const { apiKey } = await createEmailClient();
    await createSmsClient();
    api = await spawnService('api', loadEnv());
    const keys = { client: apiKey, admin: loadEnv().ADMIN_API_KEY! };
    const wrong: string[] = [];
    const rss: number[] = [api.rssBytes()];
    for (let round = 0; round < 3; round++) {
      for (const { name, send } of corpus) {
        const answer = await send(api.url, keys).catch((err: Error) => ({ status: 0, headers: '', body: err.message }));
        if (answer.status < 400 || answer.status >= 500 || !isErrorShape(answer.body))
          wrong.push(`${name}: ${answer.status} ${answer.body.slice(0, 160)}`);
        assert.ok(api.alive(), `the API died on ${name}:\n${api.output().slice(-2_000)}`);
      }
      rss.push(api.rssBytes());
    }
    assert.deepEqual([...new Set(wrong)], []);
    const live = await fetch(`${api.url}/health/live`);
    assert.equal(live.status, 200);
    const mb = rss.map((bytes) => Math.round(bytes / 1024 / 1024));
    console.log(
      `      ${corpus.length} inputs × 3 rounds; API RSS (MB) at start and after each round: ${mb.join(', ')}`,
    );
    // Bounded: the second and third rounds may not keep growing the process.
    assert.ok(mb[3]! - mb[1]! < 100, `RSS grew from ${mb[1]} to ${mb[3]} MB`);
  });
});
