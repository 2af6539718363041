/**
 * End-to-end suites that run after the core scenarios of run-e2e.ts, in this order, in the same
 * n8n user folder. One line per suite; each file exports a `Suite`.
 */
import type { Suite } from '../scenario';
import { columnsSuite } from './columns';
import { credentialTestSuite } from './credential-test';
import { editorSuite } from './editor';
import { engineSuite } from './engine';
import { linksSuite } from './links';
import { mcpSuite } from './mcp';
import { triggerSuite } from './trigger';
import { webformSuite } from './webform';
import { webhookSuite } from './webhook';
import { wrongShapeSuite } from './wrongShape';

export const SUITES: Suite[] = [
	webhookSuite,
	wrongShapeSuite,
	engineSuite,
	mcpSuite,
	webformSuite,
	credentialTestSuite,
	columnsSuite,
	editorSuite,
	linksSuite,
	// last: it adds leads and automations to the shared emulator
	triggerSuite,
];
