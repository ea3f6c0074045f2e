import path from 'node:path';
import { cycles, importGraph, type ImportEdge } from './import-graph';
import layers from './layers.json';
import workflowBundle from './workflow-bundle.json';

/** The concept a file belongs to: its top folder below the root ("." for a file directly in it). */
const folderOf = (root: string, file: string) => {
  const [top, ...rest] = path.relative(root, file).split(path.sep);
  return rest.length > 0 && top ? top : '.';
};

/** Packages reached from the workflow entry point through value imports: the workflow bundle's contents. */
function bundledPackages(edges: ImportEdge[], entry: string): Map<string, string> {
  const values = edges.filter((edge) => !edge.typeOnly);
  const reached = new Map<string, string>();
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const edge of values.filter((e) => e.from === file)) {
      if (edge.external) reached.set(edge.to, reached.get(edge.to) ?? file);
      else if (!seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return reached;
}

interface FolderEdge extends ImportEdge {
  fromFolder: string;
  toFolder: string;
}

/** One shortest way round a folder cycle, a file import per hop: what a reader has to break. */
function shortestLoop(members: string[], edges: FolderEdge[]): FolderEdge[] {
  const start = members[0]!;
  const inside = edges.filter((edge) => members.includes(edge.fromFolder) && members.includes(edge.toFolder));
  const cameBy = new Map<string, FolderEdge>();
  const queue = [start];
  for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
    for (const edge of inside.filter((e) => e.fromFolder === folder)) {
      if (edge.toFolder === start) {
        const loop = [edge];
        for (let at = folder; at !== start; at = cameBy.get(at)!.fromFolder) loop.unshift(cameBy.get(at)!);
        return loop;
      }
      if (!cameBy.has(edge.toFolder)) {
        cameBy.set(edge.toFolder, edge);
        queue.push(edge.toFolder);
      }
    }
  }
  return [];
}

/**
 * The layering rules ESLint cannot see: no import cycle between files or between top folders, type-only imports
 * included; a folder imports only what its row in layers.json allows; nothing but the SDK's workflow packages in
 * the workflow bundle. Returns one line per violation.
 */
export function importViolations(root: string): string[] {
  const edges = importGraph(root);
  const rel = (file: string) => path.relative(root, file);
  const internal = edges.filter((edge) => !edge.external);
  const fileCycles = cycles(internal.map((edge) => [edge.from, edge.to])).map(
    (members) => `file cycle: ${members.map(rel).join(' ⇄ ')}`,
  );
  const folderEdges = internal
    .map((edge) => ({ ...edge, fromFolder: folderOf(root, edge.from), toFolder: folderOf(root, edge.to) }))
    .filter((edge) => edge.fromFolder !== edge.toFolder);
  const folderCycles = cycles(folderEdges.map((edge) => [edge.fromFolder, edge.toFolder])).map((members) => {
    const hops = shortestLoop(members, folderEdges).map((edge) => `${rel(edge.from)} → ${rel(edge.to)}`);
    return `folder cycle: ${members.join(' ⇄ ')}, for example ${hops.join(', ')}`;
  });
  const allowedImports = new Map(
    Object.entries(layers).filter((entry): entry is [string, string[]] => Array.isArray(entry[1])),
  );
  const unlisted = [...new Set(folderEdges.flatMap((edge) => [edge.fromFolder, edge.toFolder]))]
    .filter((folder) => folder !== '.' && !allowedImports.has(folder))
    .map((folder) => `folder ${folder} has no row in scripts/lint/layers.json`);
  const againstLayers = folderEdges
    .filter((edge) => allowedImports.get(edge.fromFolder)?.includes(edge.toFolder) === false)
    .map(
      (edge) =>
        `layering: ${rel(edge.from)} imports ${rel(edge.to)}, and ${edge.fromFolder} may not import ${edge.toFolder}`,
    );
  const entry = path.join(root, 'workflows', 'index.ts');
  const allowed = new Set(workflowBundle.packages);
  const bundled = [...bundledPackages(edges, entry)]
    .filter(([name]) => !allowed.has(name))
    .map(([name, via]) => `workflow bundle reaches ${name} (imported by ${rel(via)})`);
  return [...fileCycles, ...folderCycles, ...unlisted, ...againstLayers, ...bundled];
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? 'src');
  const violations = importViolations(root);
  for (const line of violations) console.error(line);
  if (violations.length > 0) process.exit(1);
  console.log(
    `imports of ${path.relative(process.cwd(), root) || '.'}: no cycle, layering as in layers.json, workflow bundle clean`,
  );
}
