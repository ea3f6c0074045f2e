// The first import of src/api/main.ts, so the http instrumentation is in place before express and http load.
import { startTracing } from './tracing';

startTracing('api');
