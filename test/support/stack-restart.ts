import { stackDown, stackUp } from '../../scripts/stack';
import type { StackServer } from '../../scripts/stack/server';

/** Stops one server of the local stack (SIGTERM, as an orchestrator would) and starts it again on its data. */
export async function restartStackServer(server: StackServer, downMs: number): Promise<void> {
  await stackDown([server]);
  await new Promise((resolve) => setTimeout(resolve, downMs));
  await stackUp([server]);
}
