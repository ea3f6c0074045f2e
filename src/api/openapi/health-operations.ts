import { z } from 'zod';
import { json, open, type ApiOperation } from './operation';
import { livenessSchema, readinessSchema } from './response-schemas';

const tags = ['Operations'];

export const healthOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/health/live',
    operation: {
      operationId: 'live',
      tags,
      summary: 'Liveness: the process can still do its job',
      security: open,
      responses: { 200: json('Alive.', livenessSchema), 503: json('Restart me.', livenessSchema) },
    },
  },
  {
    method: 'get',
    path: '/health/ready',
    operation: {
      operationId: 'ready',
      tags,
      summary: 'Readiness: every dependency of this process answers',
      security: open,
      responses: { 200: json('Ready.', readinessSchema), 503: json('A dependency is down.', readinessSchema) },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operation: {
      operationId: 'metrics',
      tags,
      summary: 'Prometheus metrics of this process',
      security: open,
      responses: {
        200: {
          description: 'The Prometheus text exposition format.',
          content: { 'text/plain': { schema: z.string() } },
        },
      },
    },
  },
];
