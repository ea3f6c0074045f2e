// The first import of src/kafka-bridge/main.ts, before its health server's http loads.
import { startTracing } from './tracing';

startTracing('bridge');
