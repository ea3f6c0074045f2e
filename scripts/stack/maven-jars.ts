import fs from 'node:fs';
import path from 'node:path';
import { runToCompletion } from './processes';

export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
}

const pomFor = (name: string, artifacts: MavenArtifact[]) => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.stack</groupId>
  <artifactId>${name}</artifactId>
  <version>1</version>
  <dependencies>
${artifacts
  .map(
    (a) =>
      `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`,
  )
  .join('\n')}
  </dependencies>
</project>
`;

/** The manifest lists every jar with its size and is written only after Maven finished, so a half copy is detected. */
function libIsComplete(libDir: string, manifest: string): boolean {
  try {
    const lines = fs.readFileSync(manifest, 'utf8').trim().split('\n');
    return (
      lines.length > 0 &&
      lines.every((line) => {
        const [name, size] = line.split(' ');
        return name !== undefined && fs.statSync(path.join(libDir, name)).size === Number(size);
      })
    );
  } catch {
    return false;
  }
}

/**
 * Copies the artifacts and their runtime dependencies from Maven Central into `<home>/lib` once;
 * returns the lib folder. A changed artifact list or a damaged copy is fetched again.
 */
export async function ensureMavenJars(name: string, home: string, artifacts: MavenArtifact[]): Promise<string> {
  const libDir = path.join(home, 'lib');
  const manifest = path.join(home, 'lib.manifest');
  const pomFile = path.join(home, 'pom.xml');
  const pom = pomFor(name, artifacts);
  const samePom = fs.existsSync(pomFile) && fs.readFileSync(pomFile, 'utf8') === pom;
  if (samePom && libIsComplete(libDir, manifest)) return libDir;

  console.log(`[stack] fetching ${name} jars from Maven Central`);
  fs.rmSync(libDir, { recursive: true, force: true });
  fs.rmSync(manifest, { force: true });
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(pomFile, pom);
  await runToCompletion(
    name,
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libDir}`],
    { cwd: home },
  );
  const jars = fs.readdirSync(libDir).filter((f) => f.endsWith('.jar'));
  fs.writeFileSync(manifest, jars.map((jar) => `${jar} ${fs.statSync(path.join(libDir, jar)).size}`).join('\n'));
  return libDir;
}
