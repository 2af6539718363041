/**
 * End-to-end suites that run after the core scenarios of run-e2e.ts, in this order, in the same
 * n8n user folder. One line per suite; each file exports a `Suite`.
 */
import type { Suite } from '../scenario';
import { mcpSuite } from './mcp';
import { webhookSuite } from './webhook';
import { wrongShapeSuite } from './wrongShape';

export const SUITES: Suite[] = [
	webhookSuite,
	wrongShapeSuite,
	mcpSuite,
];
