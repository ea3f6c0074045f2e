import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildah } from '../../scripts/image/buildah';
import { buildImage } from '../../scripts/image/build-image';
import { inImage } from '../../scripts/load/service-process';
import { sandboxTls } from '../../scripts/stack/sandbox';
import { temporalMtlsClientEnv } from '../../scripts/stack/temporal-mtls-frontend';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { produce } from '../support/kafka';
import { sandbox } from '../support/sandbox';
import { deliveredThrough, postEmailTo, startTestTopology, type TestTopology } from '../support/topology';

const tag = 'localhost/communication-service:test';

const run = promisify(execFile);

/**
 * What a container runtime gives every container and a bare chroot lacks: the kernel's /proc and /sys (the
 * Temporal SDK's core reads the memory and cgroup limits there) and the host's device nodes.
 */
const runtimeMounts = [
  ['-t', 'proc', 'proc', 'proc'],
  ['--bind', '/sys', 'sys'],
  ['--bind', '/dev', 'dev'],
] as const;

/** The real uid of a process, from the kernel. */
const uidOf = (pid: number) => /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

describe('the container image, built here with buildah and run against the production profile', function () {
  let container: string | undefined;
  const mounted: string[] = [];
  let deployment: TestTopology | undefined;
  let user: string;

  before(async function () {
    // A cold build: the Debian base (≈ 40 s, cached after), then npm ci and the build inside the image.
    this.timeout(1_200_000);
    await buildImage({ tag });
    user = await buildah('inspect', '--type', 'image', '--format', '{{.OCIv1.Config.User}}', tag);
    container = await buildah('from', '--pull-never', tag);
    const root = await buildah('mount', container);
    for (const args of runtimeMounts) {
      const target = path.join(root, args[args.length - 1]!);
      await run('mount', [...args.slice(0, -1), target]);
      mounted.push(target);
    }
    // Files a deployment mounts from Secrets, at the paths the settings name: the sandbox's CA (FCM_CA_FILE) and
    // the Temporal client certificate of the registration Job's run below.
    const mountedFiles = [
      sandboxTls.certFile,
      ...Object.entries(temporalMtlsClientEnv)
        .filter(([name]) => name.endsWith('_FILE'))
        .map(([, file]) => file),
    ];
    for (const file of mountedFiles) {
      fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      fs.copyFileSync(file, path.join(root, file));
      // As a Secret volume presents it (defaultMode 0644): readable by the image's user.
      fs.chmodSync(path.join(root, file), 0o644);
    }
    deployment = await startTestTopology({}, { root, user });
  });
  after(async function () {
    this.timeout(120_000);
    await deployment?.topology.stop();
    for (const target of mounted.reverse()) await run('umount', [target]);
    if (container) await buildah('rm', container);
  });

  it("is labelled, runs as a non-root user, and holds no checkout: only dist's JavaScript and the runtime dependencies", async () => {
    const inspected = JSON.parse(await buildah('inspect', '--type', 'image', tag)) as {
      OCIv1: { config: { Labels: Record<string, string> } };
    };
    const labels = inspected.OCIv1.config.Labels;
    assert.equal(labels['org.opencontainers.image.title'], 'communication-service');
    assert.match(labels['org.opencontainers.image.revision'] ?? '', /^[0-9a-f]{40}$/);
    assert.match(labels['org.opencontainers.image.base.name'] ?? '', /node/);
    assert.match(user, /^[1-9]\d*:[1-9]\d*$/, 'a numeric, non-root user');
    const root = await buildah('mount', container!);
    assert.deepEqual(fs.readdirSync(path.join(root, 'app')).sort(), ['dist', 'node_modules', 'package.json']);
    assert.ok(fs.existsSync(path.join(root, 'app/dist/src/worker/workflow-bundle.js')), 'the prebuilt bundle');
    assert.equal(fs.existsSync(path.join(root, 'app/node_modules/typescript')), false, 'no dev dependencies');
  });

  it("HEALTHCHECK's probe is healthy while a role's process is ready, and not when nothing answers", async function () {
    this.timeout(60_000);
    const root = await buildah('mount', container!);
    const probe = (env: NodeJS.ProcessEnv) => {
      const { command, args } = inImage({ root, user }, 'dist/src/image/health-probe.js');
      return run(command, args, { env }).then(
        () => 0,
        (err: { code: number }) => err.code,
      );
    };
    const port = (url: string) => new URL(url).port;
    const { topology } = deployment!;
    // Each role's port as the container would have it; the other two role ports are left where nothing listens.
    const unused = { PORT: '1', WORKER_HTTP_PORT: '1', BRIDGE_PORT: '1' };
    assert.equal(await probe({ ...unused, PORT: port(topology.apis[0]!.url) }), 0);
    assert.equal(await probe({ ...unused, WORKER_HTTP_PORT: port(topology.workers[0]!.url) }), 0);
    assert.equal(await probe({ ...unused, BRIDGE_PORT: port(topology.bridges[0]!.url) }), 0);
    assert.equal(await probe(unused), 1);
  });

  it("runs the Kubernetes registration Job's command: the search attributes over mTLS, already registered", async function () {
    this.timeout(60_000);
    const root = await buildah('mount', container!);
    const { command, args } = inImage({ root, user }, 'dist/src/temporal/register-cli.js');
    const { stdout } = await run(command, args, { env: temporalMtlsClientEnv });
    const existing = /registered none; already there (.+)$/m.exec(stdout)?.[1]?.split(', ');
    assert.deepEqual(existing?.sort(), ['Channels', 'ClientId', 'DeliveryStatus', 'MessageId'], stdout);
    await assert.rejects(
      run(command, args, {
        env: { ...temporalMtlsClientEnv, TEMPORAL_TLS_CERT_FILE: undefined, TEMPORAL_TLS_KEY_FILE: undefined },
      }),
      /temporal:register failed/,
    );
  });

  it("delivers a message sent to its API and one published to its bridges, every process as the image's user", async function () {
    this.timeout(180_000);
    const { topology } = deployment!;
    const processes = [...topology.apis, ...topology.workers, ...topology.bridges];
    assert.deepEqual(
      processes.map((p) => uidOf(p.pid)),
      processes.map(() => user.split(':')[0]),
    );
    const { clientId, apiKey } = await createEmailClient();
    const throughApi = uniqueId('api');
    await postEmailTo(topology.apis[0]!.url, apiKey, `${throughApi}@example.com`, throughApi);
    const throughKafka = uniqueId('kafka');
    await produce(deployment!.topics.messages, [
      {
        key: throughKafka,
        value: JSON.stringify({ clientId, ...emailMessage(`${throughKafka}@example.com`, throughKafka) }),
      },
    ]);
    for (const messageId of [throughApi, throughKafka]) {
      await deliveredThrough(topology.apis[1]!.url, apiKey, messageId, 120_000);
      assert.equal(Object.keys((await sandbox.tally('email', `${messageId}@`)).accepted).length, 1);
    }
    const workflowsLog = topology.workers.find((w) => w.instance.name === 'worker-workflows')!.output();
    assert.match(workflowsLog, /"bundle":"prebuilt"/);
  });
});
