import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { Logger } from './logger';

const levels: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * An activity-only worker (a provider role) polls no workflow queue by design; the SDK warns about it at every
 * start. It is how the roles are meant to run (README "Topology and roles"), so it is worth a debug line only.
 */
const expectedWarnings = [/^No workflows registered/];

/**
 * The Temporal SDK's logger at `minLevel` and above (its own lines, Core's forwarded ones, and workflow `log` calls through their sink)
 * writing pino lines: one format for every line a process prints. The SDK's metadata (workflowId, runId,
 * taskQueue, sdkComponent…) become fields of the line.
 */
export function sdkLogger(logger: Logger, minLevel: LogLevel): SdkLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    if (levels.indexOf(level) < levels.indexOf(minLevel)) return;
    const expected = level === 'WARN' && expectedWarnings.some((pattern) => pattern.test(message));
    // Only string keys: the symbol keys are the SDK's own markers, not fields. Its `error` goes through pino's
    // error serializer (type, message, stack), which only `err` gets.
    const { error, ...fields }: Record<string, unknown> = Object.fromEntries(Object.entries(meta));
    if (error !== undefined) fields.err = error;
    logger[expected ? 'debug' : (level.toLowerCase() as Lowercase<LogLevel>)](fields, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
