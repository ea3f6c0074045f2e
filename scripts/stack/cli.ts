import { parseArgs } from 'node:util';
import { profileNamed, stackDown, stackUp, stackUrls } from './index';
import { readPid, StackError } from './processes';
import { shortName } from './profiles';

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { profile: { type: 'string', default: 'dev' } },
  });
  const profile = profileNamed(values.profile);
  const label = `[stack${profile.name === 'dev' ? '' : ` ${profile.name}`}]`;
  switch (positionals[0]) {
    case 'up': {
      const started = Date.now();
      const outcomes = await stackUp(profile.servers);
      const byPart = Object.fromEntries(profile.servers.map((s) => [shortName(s.name), outcomes[s.name]]));
      console.log(`${label} ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ${JSON.stringify(byPart)}`);
      for (const [name, url] of Object.entries(stackUrls(profile.servers))) console.log(`  ${name.padEnd(24)} ${url}`);
      return;
    }
    case 'down': {
      const stopped = (await stackDown(profile.servers)).map(shortName);
      console.log(`${label} stopped: ${stopped.join(', ') || 'nothing was running'}`);
      return;
    }
    case 'status':
      for (const server of profile.servers) {
        const pid = readPid(server.name);
        console.log(`  ${shortName(server.name).padEnd(16)} ${pid === undefined ? 'stopped' : `running (pid ${pid})`}`);
      }
      return;
    default:
      throw new StackError('usage: stack up | down | status [--profile dev | production]');
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[stack] ${err instanceof StackError ? err.message : String((err as Error)?.stack ?? err)}`);
    process.exit(1);
  },
);
