import net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/** Sends bytes exactly as given (malformed HTTP included, which fetch refuses to send) and reads the answer. */
export function rawRequest(baseUrl: string, request: string | Buffer, timeoutMs = 15_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('no answer in time')));
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may close as soon as it has answered, before all of a large request is written.
    socket.on('error', (err) => (chunks.length ? undefined : reject(err)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
      if (!status) reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      else {
        // Only this answer's body: a server may (wrongly) write a second answer after it.
        const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
        const body = Buffer.from(rest.join('\r\n\r\n'));
        resolve({ status, headers: head, body: (length ? body.subarray(0, Number(length)) : body).toString() });
      }
    });
    socket.write(request, () => socket.end());
  });
}
