import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { msToNumber } from '@temporalio/common';
import { parseAllDocuments } from 'yaml';
import { ensureKubernetesTools, kustomizeBuild, validateManifests } from '../../scripts/deploy/kubernetes-tools';
import {
  loadApiConfig,
  loadBridgeConfig,
  loadTemporalConfig,
  loadWorkerConfig,
  resolvedWorkerRoles,
  roleSettingNames,
} from '../../src/config';
import { startHealthServer } from '../../src/health/health-server';
import { Registry } from 'prom-client';
import { createBridgeMetrics } from '../../src/kafka-bridge/bridge-metrics';
import { BOOKKEEPING, PROVIDER_CALL } from '../../src/workflows/activity-options';
import { filledEnvFile, readEnvFile } from '../support/placeholders';

const root = path.join(__dirname, '..', '..');
const kubernetes = path.join(root, 'deploy', 'kubernetes');
const secretsExample = path.join(kubernetes, 'secrets.env.example');
const overlays = ['production', 'small'] as const;
/**
 * The oldest version the manifests claim (1.30: the preStop sleep action is on by default) and the newest
 * whose schemas the validator carries.
 */
const kubernetesVersions = ['1.30.0', '1.37.0'];

// The few fields these checks read; the schemas check the rest.
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}
interface Probe {
  httpGet: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
    ports?: { targetPort: string | number }[];
    scaleTargetRef?: { kind: string; name: string };
    metrics?: { type: string; external?: { metric: { name: string } } }[];
  };
}

type Role = 'api' | 'worker' | 'bridge';
const roleOfEntry: Record<string, Role> = {
  'dist/src/api/main.js': 'api',
  'dist/src/worker/main.js': 'worker',
  'dist/src/kafka-bridge/main.js': 'bridge',
};
const loaders: Record<Role, (env: NodeJS.ProcessEnv) => unknown> = {
  api: loadApiConfig,
  worker: loadWorkerConfig,
  bridge: loadBridgeConfig,
};
const portSetting = { api: 'PORT', worker: 'WORKER_HTTP_PORT', bridge: 'BRIDGE_PORT' } as const;
/** Read by a library, not by our config: firebase-admin's application default credentials. */
const libraryVariables = ['GOOGLE_APPLICATION_CREDENTIALS'];
/** Settings that name a file the process reads: each must lie in a volume mounted into the container. */
const fileSetting = /_FILE$|^GOOGLE_APPLICATION_CREDENTIALS$/;
/** Credentials: never a literal nor a ConfigMap entry, only a Secret's. */
const credential = (name: string) =>
  /KEY|TOKEN|PASSWORD|SECRET|MONGODB_URI|USERNAME|ACCOUNT_SID/.test(name) && !fileSetting.test(name);

/** A Deployment's or the Job's pod, its one container, and the environment that container gets. */
interface Pod {
  kind: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpec;
  container: Container;
  /** Which of our processes it runs; none for the registration Job. */
  role?: Role;
  env: NodeJS.ProcessEnv;
}

const serviceContainer = (o: KubeObject) => o.spec!.template!.spec.containers[0]!;

/** The environment a container gets, with its Secret keys taken from the filled example (optional ones skipped). */
function resolvedEnv(objects: KubeObject[], container: Container, secret: Record<string, string>): NodeJS.ProcessEnv {
  const configMap = (name: string) => {
    const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    assert.ok(found, `ConfigMap ${name} is rendered`);
    return found.data ?? {};
  };
  const env: NodeJS.ProcessEnv = {};
  for (const source of container.envFrom ?? []) {
    assert.ok(source.configMapRef, 'envFrom takes ConfigMaps only: secrets are named key by key');
    Object.assign(env, configMap(source.configMapRef.name));
  }
  for (const variable of container.env ?? []) {
    const fromConfig = variable.valueFrom?.configMapKeyRef;
    const fromSecret = variable.valueFrom?.secretKeyRef;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (fromConfig) env[variable.name] = configMap(fromConfig.name)[fromConfig.key];
    else if (fromSecret) {
      assert.equal(fromSecret.name, 'communication-service', `${variable.name}: the Secret of secrets.env.example`);
      const value = secret[fromSecret.key];
      assert.ok(value !== undefined || fromSecret.optional, `${fromSecret.key} is in secrets.env.example`);
      if (value !== undefined) env[variable.name] = value;
    }
  }
  return env;
}

function selects(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe('the Kubernetes manifests, rendered by kustomize and validated offline', () => {
  const rendered: Record<string, { file: string; objects: KubeObject[]; pods: Pod[] }> = {};
  let secret: Record<string, string>;
  const deploymentsOf = (overlay: string) => rendered[overlay]!.pods.filter((p) => p.kind === 'Deployment');

  before(async function () {
    // A first run builds kustomize with Go and installs the validator from PyPI into .stack; later ones reuse them.
    this.timeout(10 * 60_000);
    await ensureKubernetesTools();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubernetes-'));
    secret = readEnvFile(filledEnvFile(secretsExample));
    for (const overlay of overlays) {
      const yaml = await kustomizeBuild(path.join(kubernetes, 'overlays', overlay));
      const file = path.join(dir, `${overlay}.yaml`);
      fs.writeFileSync(file, yaml);
      const objects = parseAllDocuments(yaml).map((d) => d.toJS() as KubeObject);
      const pods = objects
        .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
        .map((o): Pod => {
          const container = serviceContainer(o);
          return {
            kind: o.kind,
            name: o.metadata.name,
            labels: o.spec!.template!.metadata.labels,
            annotations: o.spec!.template!.metadata.annotations ?? {},
            spec: o.spec!.template!.spec,
            container,
            role: roleOfEntry[container.args?.[0] ?? ''],
            env: resolvedEnv(objects, container, secret),
          };
        });
      rendered[overlay] = { file, objects, pods };
    }
  });

  for (const overlay of overlays)
    for (const version of kubernetesVersions)
      it(`overlays/${overlay}: every object validates against Kubernetes ${version}'s strict schemas`, async function () {
        this.timeout(60_000);
        await validateManifests(rendered[overlay]!.file, version);
      });

  it('the validator rejects an unknown field and a wrong type, so the check above can fail', async function () {
    this.timeout(60_000);
    const { file } = rendered.small!;
    const broken = (from: string, to: string) => {
      const copy = path.join(path.dirname(file), `broken-${Math.random().toString(36).slice(2)}.yaml`);
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.includes(from));
      fs.writeFileSync(copy, text.replace(from, to));
      return copy;
    };
    await assert.rejects(
      validateManifests(broken('terminationGracePeriodSeconds: 45', 'terminationGracePeriodSecs: 45'), '1.37.0'),
      /terminationGracePeriodSecs' was unexpected/,
    );
    await assert.rejects(validateManifests(broken('replicas: 1', "replicas: 'one'"), '1.37.0'), /is not of type/);
  });

  for (const overlay of overlays)
    it(`overlays/${overlay}: each role's environment is one its own validation accepts, and only its settings`, () => {
      const { objects, pods } = rendered[overlay]!;
      const deployments = deploymentsOf(overlay);
      assert.deepEqual(deployments.map((d) => d.role).sort(), ['api', 'bridge', 'worker', 'worker']);
      const workerRoles = deployments
        .filter((d) => d.role === 'worker')
        .map((d) => resolvedWorkerRoles(loadWorkerConfig(d.env)));
      assert.deepEqual(workerRoles.map((r) => r.join(',')).sort(), ['sms,email,push', 'workflows']);

      for (const { container, env, name, ...deployment } of deployments) {
        const role = deployment.role!;
        assert.doesNotThrow(() => loaders[role](env), `${name}'s environment`);
        assert.deepEqual(
          Object.keys(env).filter((k) => ![...roleSettingNames[role], ...libraryVariables].includes(k)),
          [],
          `${name} gets only its role's settings`,
        );
        for (const variable of container.env ?? [])
          if (credential(variable.name))
            assert.ok(variable.valueFrom?.secretKeyRef, `${name}: ${variable.name} comes from the Secret`);
        const mounts = container.volumeMounts ?? [];
        for (const [setting, file] of Object.entries(env).filter(([k]) => fileSetting.test(k)))
          assert.ok(
            mounts.some((m) => file!.startsWith(`${m.mountPath}/`)),
            `${name}: ${setting}=${file} lies in a mounted volume`,
          );
      }
      for (const configMap of objects.filter((o) => o.kind === 'ConfigMap'))
        assert.deepEqual(
          Object.keys(configMap.data ?? {}).filter(credential),
          [],
          `${configMap.metadata.name} holds no credential`,
        );
      // Every key of the example is read by some role, so the example lists nothing stale.
      const used = new Set(pods.flatMap((p) => (p.container.env ?? []).map((v) => v.valueFrom?.secretKeyRef?.key)));
      assert.deepEqual(
        Object.keys(secret).filter((k) => !used.has(k)),
        [],
      );
    });

  it('the production overlay reaches Temporal over mTLS, with the certificate in every pod', () => {
    for (const pod of rendered.production!.pods) {
      const config = loadTemporalConfig(pod.env);
      assert.equal(config.TEMPORAL_TLS_CERT_FILE, '/var/run/secrets/temporal/tls.crt', pod.name);
      const volume = pod.spec.volumes?.find((v) => v.secret?.secretName === 'communication-temporal-tls');
      assert.ok(volume, `${pod.name} mounts communication-temporal-tls`);
      assert.ok(
        pod.container.volumeMounts?.some((m) => m.name === volume.name && m.mountPath === '/var/run/secrets/temporal'),
      );
    }
  });

  it('every probe and scrape annotation points at a port the role listens on and a path the health routes answer', async () => {
    const paths = new Set<string>();
    for (const overlay of overlays)
      for (const { container, env, name, ...deployment } of deploymentsOf(overlay)) {
        const role = deployment.role!;
        const listensOn = Number((loaders[role](env) as Record<string, number>)[portSetting[role]]);
        const probes = [container.startupProbe, container.readinessProbe, container.livenessProbe];
        for (const probe of probes) {
          assert.ok(probe, `${name} has startup, readiness and liveness probes`);
          const { port } = probe.httpGet;
          const number = typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
          assert.equal(number, listensOn, `${name}: probe port ${port}`);
          paths.add(probe.httpGet.path);
        }
        // Scraped where the process serves /metrics: the same port as its probes.
        const { annotations } = deployment;
        assert.equal(annotations['prometheus.io/scrape'], 'true', name);
        assert.equal(Number(annotations['prometheus.io/port']), listensOn, `${name}: scrape port`);
        assert.equal(annotations['prometheus.io/path'], '/metrics', name);
        // A start reaches every dependency before the port opens: give it at least a minute.
        const startup = container.startupProbe!;
        assert.ok((startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3) >= 60, name);
      }
    // The same router serves the API's, the workers' and the bridges' health (src/health/health-routes.ts).
    const health = await startHealthServer(0, { ready: {} });
    try {
      for (const probePath of [...paths, '/health/nonexistent']) {
        const answer = await fetch(`${health.url}${probePath}`);
        assert.equal(answer.status, probePath === '/health/nonexistent' ? 404 : 200, probePath);
      }
    } finally {
      await health.close();
    }
    assert.deepEqual([...paths].sort(), ['/health/live', '/health/ready']);
  });

  it('gives each process time to finish what it holds before SIGKILL, and runs it unprivileged', () => {
    const longestWorkerTask = {
      'sms,email,push': msToNumber(PROVIDER_CALL.startToCloseTimeout!),
      workflows: msToNumber(BOOKKEEPING.startToCloseTimeout!),
    };
    for (const overlay of overlays)
      for (const { spec, container, env, name, kind } of rendered[overlay]!.pods) {
        assert.equal(spec.securityContext?.runAsNonRoot, true);
        assert.equal(spec.securityContext?.runAsUser, 10001, "the image's user (Dockerfile)");
        if (kind !== 'Deployment') continue;
        const grace = (spec.terminationGracePeriodSeconds ?? 30) * 1000;
        const preStop = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
        assert.ok(grace >= preStop + 10_000, `${name}: ${grace} ms after a ${preStop} ms preStop`);
        const roles = env.WORKER_ROLES as keyof typeof longestWorkerTask | undefined;
        if (roles !== undefined)
          assert.ok(grace >= longestWorkerTask[roles] + 10_000, `${name}: ${grace} ms to finish a task`);
        // Requests for scheduling, a memory limit against leaks; no CPU limit, whose throttling only slows a surge.
        assert.ok(container.resources?.requests?.cpu && container.resources.requests.memory, name);
        assert.ok(container.resources.limits?.memory && !container.resources.limits.cpu, name);
      }
  });

  it('a budget per role, Services on the pods and ports that exist, autoscalers in production', () => {
    for (const overlay of overlays) {
      const { objects } = rendered[overlay]!;
      const deployments = objects.filter((o) => o.kind === 'Deployment');
      const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
      for (const deployment of deployments) {
        const labels = deployment.spec!.template!.metadata.labels;
        assert.ok(selects(deployment.spec!.selector!.matchLabels!, labels));
        assert.equal(
          budgets.filter((b) => selects(b.spec!.selector!.matchLabels!, labels)).length,
          1,
          `${overlay}: one budget for ${deployment.metadata.name}`,
        );
      }
      for (const service of objects.filter((o) => o.kind === 'Service')) {
        const targets = deployments.filter((d) =>
          selects(service.spec!.selector as Record<string, string>, d.spec!.template!.metadata.labels),
        );
        assert.equal(targets.length, 1, service.metadata.name);
        const named = serviceContainer(targets[0]!).ports?.map((p) => p.name);
        for (const port of service.spec!.ports!) assert.ok(named?.includes(String(port.targetPort)));
      }
    }
    const production = rendered.production!.objects;
    const autoscaled = production
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((h) => h.spec!.scaleTargetRef!);
    for (const deployment of production.filter((o) => o.kind === 'Deployment')) {
      assert.ok(autoscaled.some((t) => t.kind === 'Deployment' && t.name === deployment.metadata.name));
      assert.equal(deployment.spec!.replicas, undefined, 'the autoscaler owns the count');
    }
    assert.ok(rendered.small!.objects.filter((o) => o.kind === 'Deployment').every((d) => d.spec!.replicas === 1));
    // The bridge scales on its consumer lag, a metric the bridge exports under that name.
    const bridgeScaler = production.find((o) => o.metadata.name === 'communication-bridge' && o.spec?.metrics);
    assert.equal(bridgeScaler?.spec?.metrics?.[0]?.external?.metric.name, 'communication_bridge_consumer_lag');
    const comment = fs.readFileSync(path.join(kubernetes, 'overlays/production/autoscaling.yaml'), 'utf8');
    const registry = new Registry();
    createBridgeMetrics(registry, { admin: {} as never, groupId: 'g', topics: [] });
    const exported = registry.getSingleMetric('bridge_consumer_lag');
    assert.ok(exported && comment.includes('(bridge_consumer_lag)'));
  });

  it("the README's rollout order: config and the registration Job apply alone, before the Deployments", () => {
    for (const overlay of overlays) {
      const { objects } = rendered[overlay]!;
      // kubectl apply -k … -l 'app.kubernetes.io/component in (config,registration)'
      const first = objects.filter((o) =>
        ['config', 'registration'].includes(o.metadata.labels?.['app.kubernetes.io/component'] ?? ''),
      );
      assert.deepEqual([...new Set(first.map((o) => o.kind))].sort(), ['ConfigMap', 'Job']);
      assert.equal(
        first.filter((o) => o.kind === 'ConfigMap').length,
        objects.filter((o) => o.kind === 'ConfigMap').length,
      );
      assert.equal(first.filter((o) => o.kind === 'Job').length, 1);
      const job = rendered[overlay]!.pods.find((p) => p.kind === 'Job')!;
      assert.deepEqual(job.container.args, ['dist/src/temporal/register-cli.js']);
      assert.ok(fs.existsSync(path.join(root, 'src/temporal/register-cli.ts')));
      assert.doesNotThrow(() => loadTemporalConfig(job.env));
      // The Job's image is the service's: the same tag the Deployments run.
      const images = new Set(rendered[overlay]!.pods.map((p) => p.container.image));
      assert.equal(images.size, 1, [...images].join(', '));
    }
    assert.match(rendered.production!.pods[0]!.container.image, /^registry\.example\.com\//);
  });
});
