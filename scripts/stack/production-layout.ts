/**
 * Where the production profile's servers listen. Each part keeps the dev profile's well-known port where it has one
 * (so clients need no other settings), PostgreSQL adds 5432, and Temporal's internal services sit on its own
 * defaults, away from the ports of the service itself (3000-3012), the sandbox (4010, 4443) and Kafka (9092-9097).
 */
export const productionPorts = {
  postgres: 5432,
  temporal: {
    frontend: 7233,
    frontendHttp: 7243,
    frontendMembership: 6933,
    history: 7234,
    historyMembership: 6934,
    matching: 7235,
    matchingMembership: 6935,
    worker: 7239,
    workerMembership: 6939,
  },
  /** A second frontend of the same cluster that speaks only mTLS (temporal-mtls-frontend.ts); no HTTP API. */
  temporalMtls: { frontend: 7223, membership: 6923 },
  temporalUi: 8233,
  /** Brokers beside the bootstrap port, each with its controller port right after it. */
  kafka: [
    { broker: 9092, controller: 9093 },
    { broker: 9094, controller: 9095 },
    { broker: 9096, controller: 9097 },
  ],
  mongodb: 27017,
};

/** `production/kafka-1`: the folder keeps the profile's pid and log files apart from the dev profile's. */
export const productionServerName = (part: string) => `production/${part}`;
