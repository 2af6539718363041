/**
 * The polling Tracy Trigger in queue mode. The main instance runs the polls and keeps the trigger's
 * static data in the shared database; workers run the executions the polls start. The scenario: an
 * active New Record trigger, records created in Tracy, the main instance restarted, more records:
 * each record is emitted once, none missed across the restart, whichever worker runs the execution.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from '../n8n';
import { skip } from '../scenario';
import type { Cluster } from './cluster';

export const TRIGGER_NAME = 'Queue mode: Trigger keeps its place across a restart of the main instance and emits each new record once';

const TRIGGER_FILE = path.join(REPO_ROOT, 'dist/nodes/TracyTrigger/TracyTrigger.node.js');

export async function queueTriggerSuite(_cluster: Cluster) {
	if (!fs.existsSync(TRIGGER_FILE)) return skip(TRIGGER_NAME, 'the package has no Tracy Trigger yet');
}
