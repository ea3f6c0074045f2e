// The first import of src/worker/main.ts: the http/undici instrumentation is in place before the provider SDKs
// (twilio's axios, firebase-admin's https, postmark's fetch) load.
import { startTracing } from './tracing';

startTracing('worker');
