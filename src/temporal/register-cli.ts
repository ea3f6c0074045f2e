import { parseArgs } from 'node:util';
import { loadTemporalConfig } from '../config';
import { connectToTemporal } from './client';
import { registerSearchAttributes } from './search-attributes-registration';

/** Each option overrides the environment variable of the same meaning, so CI and shells can use either. */
const options = {
  address: { type: 'string', env: 'TEMPORAL_ADDRESS' },
  namespace: { type: 'string', env: 'TEMPORAL_NAMESPACE' },
  'api-key': { type: 'string', env: 'TEMPORAL_API_KEY' },
  tls: { type: 'boolean', env: 'TEMPORAL_TLS' },
  'tls-cert': { type: 'string', env: 'TEMPORAL_TLS_CERT_FILE' },
  'tls-key': { type: 'string', env: 'TEMPORAL_TLS_KEY_FILE' },
  'tls-ca': { type: 'string', env: 'TEMPORAL_TLS_CA_FILE' },
  'tls-server-name': { type: 'string', env: 'TEMPORAL_TLS_SERVER_NAME' },
} as const;

const usage = `usage: npm run temporal:register -- [--address HOST:PORT] [--namespace NS] [--api-key KEY] [--tls]
       [--tls-cert FILE --tls-key FILE] [--tls-ca FILE] [--tls-server-name NAME]
Registers the search attributes of SPEC §6 (ClientId, MessageId, DeliveryStatus: Keyword; Channels: KeywordList).`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options, strict: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, option] of Object.entries(options)) {
    const value = values[name as keyof typeof values];
    if (value !== undefined) env[option.env] = String(value);
  }
  const config = loadTemporalConfig(env);
  const connection = await connectToTemporal(config);
  try {
    const { registered, existing } = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    const target = `${config.TEMPORAL_ADDRESS} namespace ${config.TEMPORAL_NAMESPACE}`;
    console.log(
      `search attributes on ${target}: registered ${registered.join(', ') || 'none'}; ` +
        `already there ${existing.join(', ') || 'none'}`,
    );
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`temporal:register failed: ${(err as Error).message}`);
    if (String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) console.error(usage);
    process.exit(1);
  },
);
