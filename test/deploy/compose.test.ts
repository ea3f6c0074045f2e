import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadApiConfig, loadBridgeConfig, loadWorkerConfig, roleSettingNames } from '../../src/config';
import { filledEnvFile, readEnvFile } from '../support/placeholders';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const exampleEnv = path.join(root, 'deploy', 'compose.env.example');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string | null>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

/** `docker-compose config`, Debian's compose 1.29: validates and resolves a file without a Docker engine. */
async function resolved(file: string, envFile?: string): Promise<Record<string, Service>> {
  const { stdout } = await run('docker-compose', [
    '-f',
    path.join(root, file),
    ...(envFile ? ['--env-file', envFile] : []),
    'config',
  ]);
  return (parse(stdout) as { services: Record<string, Service> }).services;
}

const oneShot = (service: Service) => service.restart === 'no';

const envOf = (service: Service) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));

describe('the compose files, validated by docker-compose config', () => {
  let services: Record<string, Service>;
  before(async function () {
    this.timeout(60_000);
    services = await resolved('docker-compose.yml', filledEnvFile(exampleEnv));
  });

  for (const file of ['docker-compose.yml', 'temporal-docker-compose.yml'])
    it(`${file}: valid, and every service but a one-shot has a healthcheck`, async function () {
      this.timeout(60_000);
      const all = await resolved(file, exampleEnv);
      const unchecked = Object.entries(all).filter(
        ([, s]) => !oneShot(s) && !s.healthcheck && file !== 'temporal-docker-compose.yml',
      );
      assert.deepEqual(
        unchecked.map(([name]) => name),
        [],
      );
    });

  it('refuses to resolve without the secrets, and the example holds only placeholders', async function () {
    this.timeout(60_000);
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compose-')), 'empty.env');
    fs.writeFileSync(empty, '');
    await assert.rejects(resolved('docker-compose.yml', empty), /Missing mandatory value.*set \w+ in \.env/s);
    const values = Object.values(readEnvFile(exampleEnv));
    assert.ok(values.length >= 5);
    for (const value of values) assert.match(value, /^CHANGE-ME/);
  });

  it("runs each role with a config its own validation accepts, pointed at the file's services", () => {
    const roles = Object.entries(services).filter(([, s]) => s.command?.[0]?.startsWith('dist/src/'));
    const byEntry = (entry: string) => roles.filter(([, s]) => s.command![0] === entry);
    const [api] = byEntry('dist/src/api/main.js');
    const workers = byEntry('dist/src/worker/main.js');
    const [bridge] = byEntry('dist/src/kafka-bridge/main.js');
    assert.ok(api && bridge && workers.length === 2);
    assert.deepEqual(workers.map(([, s]) => envOf(s).WORKER_ROLES).sort(), ['email', 'workflows']);

    const hostOf = (address: string) => address.replace(/^mongodb:\/\//, '').split(/[:/]/)[0]!;
    type Check = [string, Service, (env: NodeJS.ProcessEnv) => unknown, readonly string[]];
    const checks: Check[] = [
      [api[0], api[1], loadApiConfig, roleSettingNames.api],
      ...workers.map(([name, s]): Check => [name, s, loadWorkerConfig, roleSettingNames.worker]),
      [bridge[0], bridge[1], loadBridgeConfig, roleSettingNames.bridge],
    ];
    for (const [name, service, load, names] of checks) {
      const env = envOf(service);
      assert.doesNotThrow(() => load(env), `${name}'s environment`);
      assert.deepEqual(
        Object.keys(env).filter((k) => !names.includes(k)),
        [],
        `${name} gets only its role's settings`,
      );
      // Defaults point at localhost; in compose every dependency is another service.
      for (const setting of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'KAFKA_BROKERS'].filter((s) => s in env))
        assert.ok(services[hostOf(env[setting]!)], `${name}: ${setting}=${env[setting]} names a service`);
      assert.equal(service.depends_on?.['temporal-search-attributes']?.condition, 'service_completed_successfully');
      assert.deepEqual(service.healthcheck?.test, ['CMD', 'node', 'dist/src/image/health-probe.js']);
    }
    assert.ok(fs.existsSync(path.join(root, 'src/image/health-probe.ts')));
  });

  it("keeps temporal-docker-compose.yml's Temporal part: the same images and registration", async function () {
    this.timeout(60_000);
    const temporalOnly = await resolved('temporal-docker-compose.yml');
    for (const [name, service] of Object.entries(temporalOnly)) {
      assert.equal(services[name]?.image, service.image, name);
    }
    const script = (s: Service) => s.command?.join(' ').match(/temporal operator search-attribute create[^;]*/g);
    assert.deepEqual(
      script(services['temporal-search-attributes']!),
      script(temporalOnly['temporal-search-attributes']!),
    );
  });
});
