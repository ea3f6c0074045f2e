import { kafkaBootstrap, kafkaBrokers } from '../../scripts/stack/kafka-cluster';
import { ferretdbServer } from '../../scripts/stack/ferretdb';
import { kafkaServer } from '../../scripts/stack/kafka';
import { postgresServer } from '../../scripts/stack/postgres';
import { ferretdbOnPostgres } from '../../scripts/stack/profiles';
import type { StackServer } from '../../scripts/stack/server';
import { temporalServer } from '../../scripts/stack/temporal';
import { temporalClusterServer } from '../../scripts/stack/temporal-server';

/** Which local stack a test run is on: `npm test` runs the dev phase, then the production phase (README). */
export const testProfile = process.env.STACK_PROFILE === 'production' ? 'production' : 'dev';

interface ProfileParts {
  temporal: StackServer;
  mongodb: StackServer;
  brokers: StackServer[];
  kafkaBrokers: string;
  /** Only the production profile has one of its own. */
  postgres?: StackServer;
}

/** The servers a fault test stops and starts, by what they are rather than by profile. */
export const profileParts: ProfileParts =
  testProfile === 'production'
    ? {
        temporal: temporalClusterServer,
        mongodb: ferretdbOnPostgres,
        brokers: kafkaBrokers,
        kafkaBrokers: kafkaBootstrap,
        postgres: postgresServer,
      }
    : { temporal: temporalServer, mongodb: ferretdbServer, brokers: [kafkaServer], kafkaBrokers: '127.0.0.1:9092' };
