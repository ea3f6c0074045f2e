import { Connection, isGrpcServiceError, type ConnectionOptions } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { searchAttributeKeys } from '../../src/shared/search-attributes';
import { RegistrationError, registerSearchAttributes } from '../../src/temporal/search-attributes-registration';
import { StackError } from './processes';

/** The namespace both profiles serve; the service's TEMPORAL_NAMESPACE default. */
export const namespace = 'default';

/** gRPC's NOT_FOUND, which describeNamespace answers for a namespace nobody registered yet. */
const grpcNotFound = 5;

/** Plain gRPC to an address, or the options of a connection that needs more (TLS). */
type Target = string | ConnectionOptions;

async function withConnection<T>(target: Target, use: (connection: Connection) => Promise<T>): Promise<T> {
  const options = typeof target === 'string' ? { address: target } : target;
  const connection = await Connection.connect({ ...options, connectTimeout: 1_000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

async function namespaceExists(connection: Connection): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch (err) {
    if (isGrpcServiceError(err) && Number(err.code) === grpcNotFound) return false;
    throw err;
  }
}

/** The frontend answers for the namespace (the dev server creates it at start). */
export const namespaceAnswers = (address: string) => () => withConnection(address, namespaceExists);

/** The frontend answers at all: a fresh cluster has no namespace of ours yet. */
export const frontendAnswers = (target: Target) => () =>
  withConnection(target, async (connection) => {
    await connection.workflowService.getSystemInfo({});
    return true;
  });

export interface NamespaceSetUp {
  /** Registers the namespace when it is missing (a real server starts without any). */
  create?: { retentionDays: number };
}

/**
 * The stack's Temporal set-up, the same for both profiles: the namespace, then every search attribute a workflow
 * of ours writes, through the registration users run (src/temporal/search-attributes-registration.ts). Ready once
 * the server lists all of them: a real server's namespace registry refreshes on a timer, so a fresh namespace or
 * attribute is not visible at once, and a workflow started before that fails on the unknown attribute.
 */
export const setUpNamespace =
  (address: string, { create }: NamespaceSetUp = {}) =>
  () =>
    withConnection(address, async (connection) => {
      if (!(await namespaceExists(connection))) {
        if (create === undefined) return false;
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(`${create.retentionDays} days`),
        });
        return false;
      }
      // An attribute registered with another type stays wrong however long we wait.
      await registerSearchAttributes(connection, namespace).catch((err: unknown) => {
        throw err instanceof RegistrationError ? new StackError(err.message) : err;
      });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      return searchAttributeKeys.every((key) => customAttributes?.[key.name] !== undefined);
    });
