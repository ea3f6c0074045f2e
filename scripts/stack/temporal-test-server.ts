import fs from 'node:fs';
import path from 'node:path';
import { ensureMavenJars } from './maven-jars';
import { stackPaths, stackRoot } from './paths';

/**
 * Temporal's Java test server, the only time-skipping server reachable from the registries (the SDK's own
 * download of the Go test server cannot run here). The SDK starts it as `<executable> <port> [extraArgs]`.
 */
const version = '1.31.0';

export async function ensureTemporalTestServer(): Promise<string> {
  const libDir = await ensureMavenJars(
    `temporal-test-server-${version}`,
    path.join(stackRoot, 'temporal-test-server', version),
    [
      { groupId: 'io.temporal', artifactId: 'temporal-test-server', version },
      { groupId: 'org.slf4j', artifactId: 'slf4j-nop', version: '1.7.36' },
    ],
  );
  const launcher = path.join(stackPaths.bin, 'temporal-test-server');
  const script = `#!/bin/sh\nexec java -Xss1m -cp '${libDir}/*' io.temporal.testserver.TestServer "$@"\n`;
  if (!fs.existsSync(launcher) || fs.readFileSync(launcher, 'utf8') !== script) {
    fs.mkdirSync(stackPaths.bin, { recursive: true });
    fs.writeFileSync(launcher, script, { mode: 0o755 });
  }
  return launcher;
}
