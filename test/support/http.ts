import { harness, testEnv } from './harness';

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Plain fetch against the API under test; `body` may be a string to send bytes exactly as given. */
export async function call<T = any>(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string>; baseUrl?: string } = {},
): Promise<JsonResponse<T>> {
  const baseUrl = options.baseUrl ?? (await harness()).api.url;
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export const admin = (method: string, path: string, body?: unknown) =>
  call(method, path, { key: testEnv.ADMIN_API_KEY, body });

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
