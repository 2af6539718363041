/**
 * The polling Tracy Trigger in queue mode. The main instance runs the polls and keeps the trigger's
 * place in the workflow's static data, in the shared database; workers run the executions the polls
 * start. n8n polls once when it activates a workflow (at every start of the main instance), then on
 * the Poll Times (every minute at the shortest).
 *
 * The scenario: New Record on the Companies dataset, published once the main instance runs (the
 * activation poll sets the place, no backlog). Company A is created in Tracy while the web-form
 * scenarios run, and a scheduled poll emits it. The main instance stops, company B is created while
 * it is down, the main instance starts again: its activation poll emits B alone (A not again, B not
 * missed). Each execution ran on a worker, whichever it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { TracyEmulator } from '../../emulator/server';
import { REPO_ROOT, sleep } from '../n8n';
import { scenario, selected, skip } from '../scenario';
import type { ServerExecution } from '../server';
import type { CredentialRef, WorkflowJson, WorkflowNode } from '../workflows';
import { CREDENTIAL_TYPE, TRACY_TRIGGER_TYPE, workflow } from '../workflows';
import type { Cluster } from './cluster';
import { executionsStartedBy, finishedOnWorker, log } from './cluster';

export const TRIGGER_NAME =
	'Queue mode: Trigger keeps its place across a restart of the main instance and emits each new company once';

const TRIGGER_FILE = path.join(REPO_ROOT, 'dist/nodes/Tracy/TracyTrigger.node.js');
const WORKFLOW_ID = 'queueNewCompany';
const NODE_NAME = 'New Company';
/** Companies: a dataset the web-form scenarios never write to. */
const DATASET = 2;
const NAME_PROPERTY = 20;

export interface TriggerPlan {
	/** Imported with the other workflows, published once the main instance runs. */
	workflows: WorkflowJson[];
	ids: string[];
	/** Called once the main instance is up: waits for the activation poll, then creates company A. */
	afterMainStart(): Promise<void>;
	a?: Company;
}

interface Company {
	id: number;
	name: string;
}

/** A company created in Tracy by someone else (the owner key), as a user of Tracy would. */
async function createCompany(emulator: TracyEmulator, name: string): Promise<Company> {
	const res = await fetch(`${emulator.url}/v1/records`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': emulator.keyFor('owner') },
		body: JSON.stringify({
			dataset: { id: DATASET },
			datums: [{ property: { id: NAME_PROPERTY }, value: name }],
		}),
	});
	const body = (await res.json()) as { id?: number };
	if (!res.ok || typeof body.id !== 'number')
		throw new Error(`creating company "${name}" answered ${res.status}: ${JSON.stringify(body)}`);
	return { id: body.id, name };
}

/** The trigger's polls: list reads of the Companies dataset with the trigger's key. */
function polls(emulator: TracyEmulator, key: string, from = 0) {
	return emulator.requests
		.slice(from)
		.filter(
			(r) => r.headers['x-api-key'] === key && r.method === 'GET' && r.path === '/v1/records',
		);
}

/** The companies each execution's trigger output, oldest execution first. */
function emitted(executions: ServerExecution[]): Array<{ id: string; companies: unknown[] }> {
	return [...executions]
		.sort((a, b) => Number(a.id) - Number(b.id))
		.map((e) => {
			const run = e.data?.resultData?.runData?.[NODE_NAME]?.[0] as
				| { data?: { main?: Array<Array<{ json: { id?: unknown } }>> } }
				| undefined;
			return { id: String(e.id), companies: (run?.data?.main?.[0] ?? []).map((i) => i.json.id) };
		});
}

/** The trigger's workflow, when the built package has the Tracy Trigger; otherwise the scenario is skipped. */
export function prepareQueueTrigger(
	emulator: TracyEmulator,
	credential: CredentialRef,
): TriggerPlan | undefined {
	if (!selected(TRIGGER_NAME) || !fs.existsSync(TRIGGER_FILE)) return undefined;
	const node: WorkflowNode = {
		id: '00000000-0000-4000-8000-0000000a0001',
		name: NODE_NAME,
		type: TRACY_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			event: 'newRecord',
			dataset: { __rl: true, mode: 'id', value: String(DATASET) },
			states: [],
			simplify: true,
			pollTimes: { item: [{ mode: 'everyMinute' }] },
		},
		credentials: { [CREDENTIAL_TYPE]: credential },
	};
	const plan: TriggerPlan = {
		workflows: [workflow(WORKFLOW_ID, 'Queue: new company in Tracy', [node], {})],
		ids: [WORKFLOW_ID],
		async afterMainStart() {
			// the activation poll sets the place; a company created before it would be taken as backlog
			const key = emulator.keyFor('sales');
			const deadline = Date.now() + 60_000;
			while (polls(emulator, key).length === 0) {
				if (Date.now() > deadline)
					throw new Error('the Tracy Trigger did not poll when the main instance activated it');
				await sleep(200);
			}
			await sleep(1000);
			plan.a = await createCompany(emulator, 'Queue Company A');
			log(`company A (record ${plan.a.id}) created in Tracy; a scheduled poll is to emit it`);
		},
	};
	return plan;
}

export async function queueTriggerSuite(cluster: Cluster, plan: TriggerPlan | undefined) {
	if (!selected(TRIGGER_NAME)) return;
	if (!fs.existsSync(TRIGGER_FILE))
		return skip(TRIGGER_NAME, 'the package has no Tracy Trigger yet');
	if (!plan?.a) return skip(TRIGGER_NAME, 'the trigger workflow was not set up');
	const { emulator } = cluster;
	const key = emulator.keyFor('sales');
	const a = plan.a;
	let b: Company | undefined;
	await scenario(
		TRIGGER_NAME,
		emulator,
		async () => {
			// both workers, also when the web-form scenarios were left out (--only=Trigger)
			for (const w of cluster.workers) if (!w.process) await cluster.startWorker(w);
			// n8n's shortest Poll Time is a minute, at a random second
			const first = await cluster.main.process.executions(WORKFLOW_ID, 1, 90_000);
			const pollsBefore = polls(emulator, key).length;
			await cluster.main.process.stop();
			b = await createCompany(emulator, 'Queue Company B');
			log(
				`  main instance stopped; company B (record ${b.id}) created while it was down; starting it again`,
			);
			await cluster.startMain();
			const all = await cluster.main.process.executions(WORKFLOW_ID, 2, 60_000);
			// a moment for a second emission of anything to show up
			await sleep(2000);
			const final = await cluster.main.process.executions(WORKFLOW_ID, 2, 0);
			return { first, all: final.length >= all.length ? final : all, pollsBefore };
		},
		(c, { first, all, pollsBefore }) => {
			c.equal(
				emitted(first).map((e) => e.companies),
				[[a.id]],
				'a scheduled poll emitted company A alone (not the company that existed at activation)',
			);
			c.equal(
				emitted(all).map((e) => e.companies),
				[[a.id], [b!.id]],
				'after the restart, the activation poll emitted company B alone: A not again, B not missed',
			);
			c.that(
				all.every((e) => e.status === 'success'),
				`every trigger execution succeeded: ${all.map((e) => e.status).join(', ')}`,
			);
			const ids = all.map((e) => String(e.id));
			const byWorker = cluster.workers
				.filter((w) => w.process)
				.map((w) => new Set(executionsStartedBy(w.process!)));
			c.that(
				ids.every((id) => byWorker.filter((s) => s.has(id)).length === 1),
				`each trigger execution was started by exactly one worker: ${JSON.stringify(ids.map((id) => byWorker.filter((s) => s.has(id)).length))}`,
			);
			const finished = finishedOnWorker(cluster.mains);
			c.that(
				ids.every((id) => finished.get(id)?.workerId.startsWith('worker-')),
				'the main instances logged each as finished on a worker',
			);
			c.equal(
				cluster.mains.flatMap(executionsStartedBy).length,
				0,
				'the main instances ran no execution themselves',
			);
			const reads = polls(emulator, key);
			c.that(
				reads.length > pollsBefore,
				`the restarted main instance polled again (${reads.length - pollsBefore} reads)`,
			);
			c.that(
				reads.every((r) => r.query.dataset === String(DATASET)),
				`every poll read the Companies dataset only: ${[...new Set(reads.map((r) => r.query.dataset))].join(', ')}`,
			);
		},
		{
			onFailure: () =>
				[...cluster.mains, ...cluster.workers.filter((w) => w.process).map((w) => w.process!)]
					.map((s) => `--- ${s.logFile}\n${s.logTail(25)}`)
					.join('\n'),
		},
	);
}
