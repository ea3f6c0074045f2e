import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a user would generate for a placeholder whose setting has a format of its own; other names get hex. */
const generated: Record<string, () => string> = {
  PAYLOAD_ENCRYPTION_KEYS: () => `k1:${randomBytes(32).toString('base64')}`,
  TWILIO_ACCOUNT_SID: () => `AC${randomBytes(16).toString('hex')}`,
};

/**
 * An example env file with its CHANGE-ME placeholders replaced as its comments say, as a user fills it in: the
 * roles must accept what the instructions give. Returns the filled file's path.
 */
export function filledEnvFile(example: string): string {
  const lines = fs
    .readFileSync(example, 'utf8')
    .split('\n')
    .map((line) => {
      const name = /^(\w+)=/.exec(line)?.[1];
      if (name === undefined) return line;
      return line.replace(/CHANGE-ME[\w-]*/g, () => generated[name]?.() ?? randomBytes(24).toString('hex'));
    });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-')), path.basename(example, '.example'));
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** KEY=value lines of an env file, comments and blank lines left out. */
export function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^\w+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
