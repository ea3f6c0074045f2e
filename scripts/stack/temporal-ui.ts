import path from 'node:path';
import { binaryPath, ensureGoTool, type GoTool } from './go-tool';
import { stackPaths } from './paths';
import { spawnDetached } from './processes';
import { productionPorts, productionServerName } from './production-layout';
import type { StackServer } from './server';
import { uiCodecEndpoint } from './temporal';
import { writeTemporalConfig } from './temporal-config-file';
import { namespace } from './temporal-namespace';
import { temporalClusterServer } from './temporal-server';

/** The UI release inside the dev profile's CLI v1.5.1, so both profiles show the same Web UI. */
const uiModule = 'github.com/temporalio/ui-server/v2/cmd/server@v2.42.1';
const uiTool: GoTool = {
  name: productionServerName('temporal-ui'),
  binary: 'server',
  fingerprint: uiModule,
  goArgs: ['install', uiModule],
  smokeArgs: ['--version'],
};

const name = productionServerName('temporal-ui');
const binDir = path.join(stackPaths.bin, 'temporal-ui');
const port = productionPorts.temporalUi;
const home = path.join(stackPaths.productionData, 'temporal-ui');

/**
 * What the CLI's dev server sets for its embedded UI (temporalcli/devserver), written out: the UI at 8233, payloads
 * decoded by the codec server of our API from the browser. Same origin for the UI's own API, so no CORS origins;
 * `cookieInsecure` because the UI's CSRF cookie must also be sent over plain http on loopback.
 */
const uiConfig = () => `temporalGrpcAddress: 127.0.0.1:${productionPorts.temporal.frontend}
host: 127.0.0.1
port: ${port}
enableUi: true
defaultNamespace: ${namespace}
hideLogs: true
cors:
  cookieInsecure: true
codec:
  endpoint: ${uiCodecEndpoint}
`;

export const temporalUiServer: StackServer = {
  name,
  ports: [port],
  needs: [temporalClusterServer],
  startTimeoutMs: 30_000,
  urls: { 'Temporal Web UI': `http://127.0.0.1:${port}` },
  ensureBuilt: () => ensureGoTool(uiTool, binDir),
  start: () => {
    return spawnDetached(name, binaryPath(uiTool, binDir), [...writeTemporalConfig(home, uiConfig()), 'start']);
  },
  // Through the UI's own API to the frontend and back: the UI is up and talks to the server.
  probe: async () => (await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/${namespace}`)).ok,
};
