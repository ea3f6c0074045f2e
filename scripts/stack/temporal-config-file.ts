import fs from 'node:fs';
import path from 'node:path';

/**
 * Temporal's server and its Web UI server both read `<root>/<config>/<env>.yaml`, joining an absolute `--config`
 * onto the root. Writes the file there and returns the flags that make the binary read it.
 */
export function writeTemporalConfig(home: string, yaml: string): string[] {
  const environment = 'stack';
  fs.mkdirSync(path.join(home, 'config'), { recursive: true });
  fs.writeFileSync(path.join(home, 'config', `${environment}.yaml`), yaml);
  return ['--root', home, '--config', 'config', '--env', environment];
}
