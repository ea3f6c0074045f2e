import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/bench/children';
import { startProcess, type RunningChild } from '../../scripts/load/child-process';
import { binaryPath, ensureGoTool, type GoTool } from '../../scripts/stack/go-tool';
import { stackPaths } from '../../scripts/stack/paths';

/**
 * Jaeger v2 (an OpenTelemetry Collector distribution): an OTLP/HTTP receiver, in-memory storage and a query
 * API to read a trace back by id. Its module's go.mod has a replace directive, which `go install module@version`
 * refuses, so it is built inside the downloaded module (3 min here with an empty Go cache).
 */
const jaegerModule = 'github.com/jaegertracing/jaeger@v1.76.0';
const moduleDir = () => path.join(execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim(), jaegerModule);

const jaegerTool = (): GoTool => ({
  name: 'jaeger',
  binary: 'jaeger',
  fingerprint: `${jaegerModule} cmd/jaeger`,
  prepare: async () => {
    await promisify(execFile)('go', ['mod', 'download', jaegerModule]);
  },
  goArgs: ['build', '-o', path.join(stackPaths.bin, 'jaeger'), './cmd/jaeger'],
  cwd: moduleDir(),
  smokeArgs: ['version'],
});

/** One OTLP span as Jaeger's query API (`/api/traces`) gives it. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

export interface Jaeger {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpEndpoint: string;
  /** The trace, once it exists (undefined before). */
  trace(traceId: string): Promise<JaegerTrace | undefined>;
  /** Traces of a service whose spans carry these tags. */
  find(service: string, tags?: Record<string, string>): Promise<JaegerTrace[]>;
  stop(): Promise<void>;
}

const config = (otlpPort: number, queryPort: number, grpcPort: number) => `
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${queryPort}
    grpc:
      endpoint: 127.0.0.1:${grpcPort}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlpPort}
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;

/** Builds Jaeger from the Go module proxy if needed and starts one of its own on free ports. */
export async function startJaeger(): Promise<Jaeger> {
  await ensureGoTool(jaegerTool());
  const [otlpPort, queryPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
  const configFile = path.join(stackPaths.run, `jaeger-${process.pid}.yaml`);
  fs.mkdirSync(stackPaths.run, { recursive: true });
  fs.writeFileSync(configFile, config(otlpPort, queryPort, grpcPort));
  const query = `http://127.0.0.1:${queryPort}`;
  const child: RunningChild = await startProcess({
    name: 'jaeger',
    command: binaryPath(jaegerTool()),
    args: [`--config=file:${configFile}`],
    ready: async () => (await fetch(`${query}/api/services`)).ok,
  });
  const get = async (url: string) => {
    const response = await fetch(url);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { data: JaegerTrace[] }).data;
  };
  return {
    otlpEndpoint: `http://127.0.0.1:${otlpPort}`,
    trace: async (traceId) => (await get(`${query}/api/traces/${traceId}`))?.[0],
    find: async (service, tags = {}) =>
      (await get(
        `${query}/api/traces?service=${service}&lookback=1h&limit=1000&tags=${encodeURIComponent(JSON.stringify(tags))}`,
      )) ?? [],
    stop: async () => {
      await child.stop();
      fs.rmSync(configFile, { force: true });
    },
  };
}
