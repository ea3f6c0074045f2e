import { stackDown, stackServers, stackUp, stackUrls } from './index';
import { readPid, StackError } from './processes';

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'up': {
      const started = Date.now();
      const outcomes = await stackUp();
      console.log(`[stack] ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ${JSON.stringify(outcomes)}`);
      for (const [name, url] of Object.entries(stackUrls())) console.log(`  ${name.padEnd(24)} ${url}`);
      return;
    }
    case 'down':
      console.log(`[stack] stopped: ${(await stackDown()).join(', ') || 'nothing was running'}`);
      return;
    case 'status':
      for (const server of stackServers) {
        const pid = readPid(server.name);
        console.log(`  ${server.name.padEnd(10)} ${pid === undefined ? 'stopped' : `running (pid ${pid})`}`);
      }
      return;
    default:
      throw new StackError('usage: stack up | down | status');
  }
}

main(process.argv[2]).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[stack] ${err instanceof StackError ? err.message : String((err as Error)?.stack ?? err)}`);
    process.exit(1);
  },
);
