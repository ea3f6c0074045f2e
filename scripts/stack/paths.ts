import path from 'node:path';

/** Everything the local stack builds, downloads or writes lives here; it is git-ignored. */
export const stackRoot = path.resolve(process.env.STACK_DIR ?? path.join(__dirname, '..', '..', '.stack'));

export const stackPaths = {
  bin: path.join(stackRoot, 'bin'),
  data: path.join(stackRoot, 'data'),
  logs: path.join(stackRoot, 'logs'),
  run: path.join(stackRoot, 'run'),
  kafka: path.join(stackRoot, 'kafka'),
  /** The production profile's state and generated configs: a tree of its own, so the profiles never share data. */
  productionData: path.join(stackRoot, 'data', 'production'),
};
