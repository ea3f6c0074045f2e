import { buildImage } from './build-image';

/** `npm run image:build -- [--tag NAME:TAG] [--base IMAGE]` */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const tag = await buildImage({
    tag: option('--tag') ?? 'localhost/communication-service:dev',
    base: option('--base'),
  });
  console.log(`built ${tag}`);
}

main().catch((err: unknown) => {
  console.error(`image:build failed: ${(err as Error).message}`);
  process.exit(1);
});
