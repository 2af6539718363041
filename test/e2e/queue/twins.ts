/**
 * Twins: Lead → Create or Update (matching on Email) makes each person exactly once, also when two
 * executions for the same email meet on the two workers. A Webhook (POST, answering when the last
 * node has finished, so that a request in flight is an execution running) → Tracy, Lead → Create or
 * Update on the Leads dataset, Columns defined below with Email as the column to match on. 100
 * emails, each sent twice with both copies fired together, 8 emails (16 requests) in flight.
 *
 * After every execution has finished, the emulator's records are read in-process: for each email
 * exactly one lead that is not in the trash. A twin made by two executions that each found no lead
 * and each created one is to be merged by the node: the oldest kept, the newer moved to the trash
 * (DELETE /v1/records/{id}) and the output item saying `merged`. Both workers must have run
 * executions, and some email's two copies must have run at the same time on different workers, or
 * the scenario proves nothing.
 *
 * The scenario uses a key of its own (the Sales role: read, create, edit and delete leads), so that
 * its requests are told apart from the other scenarios' in the emulator's log.
 */
import * as os from 'node:os';

import type { ApiKey, ReceivedRequest, TracyEmulator } from '../../emulator/server';
import { sleep } from '../n8n';
import { scenario, selected } from '../scenario';
import type { ServerExecution } from '../server';
import type { CredentialRef, WorkflowJson, WorkflowNode } from '../workflows';
import { byId, chain, tracyCredential, tracyNode, workflow } from '../workflows';
import type { Cluster } from './cluster';
import { executionsStartedBy, finishedOnWorker, log } from './cluster';
import { settledExecutions } from './load';

const EMAILS = 100;
/** Emails in flight at once; each is two requests, sent together. */
const PAIRS_IN_FLIGHT = 8;
export const TWINS_NAME = `Twins: Lead → Create or Update gets each of ${EMAILS} emails twice at the same moment, on two workers; each person is in Tracy exactly once`;

const WORKFLOW_ID = 'queueTwins';
const HOOK_PATH = 'tracy-twins';
const NODE_NAME = 'Create or Update Lead';
const LEADS = 1;
const NAME_PROPERTY = 1;
const EMAIL_PROPERTY = 2;
/** A key of the Sales role (read, create, edit, delete leads) for this scenario alone. */
const KEY: ApiKey = {
	key: 'tracy-twins-key-000000000000007',
	name: 'Twins (Sales role)',
	userType: 'user',
	role: 1,
};
const CREDENTIAL: CredentialRef = { id: 'queueTracyTwins', name: 'Tracy emulator (twins key)' };

const emailOf = (i: number) => `twin-${i + 1}@example.com`;

export interface TwinsPlan {
	workflows: WorkflowJson[];
	ids: string[];
	credentials: object[];
}

/** The key in the emulator, its credential and the workflow, when the scenario is selected. */
export function prepareTwins(emulator: TracyEmulator): TwinsPlan | undefined {
	if (!selected(TWINS_NAME)) return undefined;
	emulator.addKey(KEY);
	const hook: WorkflowNode = {
		id: '00000000-0000-4000-8000-0000000b0001',
		name: 'Lead Received',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		// answered when the last node has finished: a request in flight is an execution running
		parameters: { httpMethod: 'POST', path: HOOK_PATH, responseMode: 'lastNode', options: {} },
		webhookId: '8b3a4f5e-6d7c-4b8a-9998-c3d4e5f60718',
	};
	const upsert = tracyNode(
		NODE_NAME,
		{
			resource: 'lead',
			operation: 'upsert',
			dataset: byId(LEADS),
			upsertColumns: {
				mappingMode: 'defineBelow',
				value: {
					[String(NAME_PROPERTY)]: '={{ $json.body.name }}',
					[String(EMAIL_PROPERTY)]: '={{ $json.body.email }}',
				},
				matchingColumns: [String(EMAIL_PROPERTY)],
				schema: [],
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
		},
		CREDENTIAL,
		[220, 0],
	);
	return {
		workflows: [
			workflow(
				WORKFLOW_ID,
				'Queue: twins, each email twice at once',
				[hook, upsert],
				chain({}, hook.name, upsert.name),
			),
		],
		ids: [WORKFLOW_ID],
		credentials: [tracyCredential(CREDENTIAL, KEY.key, emulator.url)],
	};
}

/** What an execution's Tracy node output: created, found (created: false), merged, or something else. */
type Outcome = 'created' | 'found' | 'merged' | 'other';

interface Run {
	id: string;
	email: string;
	status: string;
	outcome: Outcome;
	recordId: unknown;
	started: number;
	stopped: number;
	worker?: string;
	error?: string;
	/** The node that failed, when the execution failed. */
	failedIn?: string;
}

function outputOf(e: ServerExecution): Record<string, unknown> | undefined {
	const run = e.data?.resultData?.runData?.[NODE_NAME]?.[0] as
		| { data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }
		| undefined;
	return run?.data?.main?.[0]?.[0]?.json;
}

function triggerBody(e: ServerExecution): { email?: string } | undefined {
	const run = e.data?.resultData?.runData?.['Lead Received']?.[0] as
		| { data?: { main?: Array<Array<{ json: { body?: { email?: string } } }>> } }
		| undefined;
	return run?.data?.main?.[0]?.[0]?.json.body;
}

function outcomeOf(json: Record<string, unknown> | undefined): Outcome {
	if (!json) return 'other';
	if (json.merged === true) return 'merged';
	if (json.created === true) return 'created';
	if (json.created === false) return 'found';
	return 'other';
}

/** `GET /v1/records/{id}` for `GET /v1/records/17`: the requests counted by method and path. */
function byRoute(requests: ReceivedRequest[]): string {
	const counts = new Map<string, number>();
	for (const r of requests) {
		const route = `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, '/{id}')} ${r.status ?? '-'}`;
		counts.set(route, (counts.get(route) ?? 0) + 1);
	}
	return [...counts.entries()]
		.sort((a, b) => b[1] - a[1])
		.map(([route, n]) => `${route} ×${n}`)
		.join(', ');
}

export async function twinsSuite(cluster: Cluster, plan: TwinsPlan | undefined) {
	if (!plan || !selected(TWINS_NAME)) return;
	const { emulator, main } = cluster;
	const emails = Array.from({ length: EMAILS }, (_, i) => emailOf(i));
	await scenario(
		TWINS_NAME,
		emulator,
		async () => {
			for (const w of cluster.workers) if (!w.process) await cluster.startWorker(w);
			const url = main.process.webhookUrl(HOOK_PATH);
			await main.process.waitForWebhook(url);
			const t0 = Date.now();
			// each email's two copies fired together; PAIRS_IN_FLIGHT emails at a time
			const statuses = new Map<string, number[]>();
			let next = 0;
			const send = async (i: number) => {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ name: `Twin ${i + 1}`, email: emailOf(i) }),
					signal: AbortSignal.timeout(120_000),
				});
				await res.text();
				return res.status;
			};
			const lane = async () => {
				while (next < EMAILS) {
					const i = next++;
					const pair = await Promise.all([send(i), send(i)].map((p) => p.catch(() => 0)));
					statuses.set(emailOf(i), pair);
				}
			};
			await Promise.all(Array.from({ length: PAIRS_IN_FLIGHT }, lane));
			const answered = Date.now();
			const summaries = await settledExecutions(cluster, WORKFLOW_ID, 180_000);
			const wallMs = Date.now() - t0;
			// each execution with its data, a few at a time
			const executions: ServerExecution[] = [];
			for (let i = 0; i < summaries.length; i += 10)
				executions.push(
					...(await Promise.all(
						summaries.slice(i, i + 10).map((e) => main.process.execution(String(e.id))),
					)),
				);
			// a moment for anything a worker still sends to show up
			await sleep(1000);
			return { statuses, executions, answeredMs: answered - t0, wallMs };
		},
		(c, { statuses, executions, answeredMs, wallMs, requests }) => {
			const ours = requests.filter((r) => r.headers['x-api-key'] === KEY.key);
			c.equal(
				emails
					.filter((e) => statuses.get(e)?.some((s) => s !== 200))
					.map((e) => `${e}: ${statuses.get(e)?.join(' and ')}`),
				[],
				'the webhook answered 200 to both copies of every email (0: no answer)',
			);

			// the executions: one per request, where each ran and what the node output
			const workers = cluster.workers.filter((w) => w.process);
			const startedBy = workers.map((w) => new Set(executionsStartedBy(w.process!)));
			const runs: Run[] = executions.map((e) => {
				const json = outputOf(e);
				const id = String(e.id);
				return {
					id,
					email: String(triggerBody(e)?.email ?? ''),
					status: String(e.status),
					outcome: outcomeOf(json),
					recordId: json?.id,
					started: Date.parse(String(e.startedAt)),
					stopped: Date.parse(String(e.stoppedAt)),
					worker: workers.find((_, k) => startedBy[k].has(id))?.name,
					error: e.data?.resultData?.error?.message,
					failedIn: (e.data?.resultData as { lastNodeExecuted?: string } | undefined)
						?.lastNodeExecuted,
				};
			});
			c.equal(runs.length, 2 * EMAILS, 'one execution per request');
			c.equal(
				runs
					.filter((r) => r.status !== 'success')
					.map((r) => `${r.id} ${r.status} in ${r.failedIn ?? '?'}: ${r.error}`),
				[],
				'every execution succeeded',
			);
			const outcomes = { created: 0, found: 0, merged: 0, other: 0 };
			for (const r of runs) outcomes[r.outcome]++;
			c.equal(
				runs.filter((r) => r.outcome === 'other').map((r) => r.id),
				[],
				"every execution's output item says created: true, created: false or merged: true",
			);
			const describe = (r: Run) =>
				`${r.id} ${r.status} ${r.outcome} record ${String(r.recordId)} on ${r.worker ?? '?'} at ${new Date(r.started).toISOString()}`;
			c.equal(
				emails
					.filter((e) => runs.filter((r) => r.email === e).length !== 2)
					.map(
						(e) =>
							`${e}: ${
								runs
									.filter((r) => r.email === e)
									.map(describe)
									.join('; ') || 'none'
							}`,
					),
				[],
				'each email ran in exactly two executions',
			);
			c.equal(
				runs.filter((r) => !emails.includes(r.email)).map(describe),
				[],
				'no execution without one of the emails in its trigger data',
			);

			// which process ran each: both workers, never the main instance
			const split = workers.map((w) => runs.filter((r) => r.worker === w.name).length);
			c.equal(
				runs.filter((r) => !r.worker).map((r) => r.id),
				[],
				'every execution was started by a worker (its own log says so)',
			);
			c.that(
				workers.length === 2 && split.every((n) => n > 0),
				`both workers ran executions: ${workers.map((w, k) => `${w.name} ${split[k]}`).join(', ')}`,
			);
			const finished = finishedOnWorker(cluster.mains);
			const mainRan = new Set(cluster.mains.flatMap(executionsStartedBy));
			c.equal(
				runs.filter((r) => mainRan.has(r.id)).map((r) => r.id),
				[],
				'the main instance ran none of them',
			);
			const pairs = emails.map((e) => runs.filter((r) => r.email === e));
			const onTwoWorkers = pairs.filter((p) => p.length === 2 && p[0].worker !== p[1].worker);
			const overlapped = onTwoWorkers.filter(
				([a, b]) => a.started < b.stopped && b.started < a.stopped,
			);
			c.that(
				overlapped.length > 0,
				`some email's two executions ran at the same time on different workers: ${overlapped.length} of ${EMAILS} (on different workers ${onTwoWorkers.length})`,
			);

			// Tracy's records, read in the emulator itself
			const records = emulator.storedRecords(LEADS).map((r) => ({
				id: r.id as number,
				removed: r.removed as string | null,
				email: String(
					(r.datums as Array<{ property: { id: number }; value: unknown }>).find(
						(d) => d.property.id === EMAIL_PROPERTY,
					)?.value ?? '',
				).toLowerCase(),
			}));
			const ofEmail = (email: string) => records.filter((r) => r.email === email);
			const live = (email: string) => ofEmail(email).filter((r) => r.removed === null);
			const twins = emails.filter((e) => live(e).length > 1);
			const missing = emails.filter((e) => live(e).length === 0);
			const created = emails.reduce((n, e) => n + ofEmail(e).length, 0);
			const trashed = emails.reduce(
				(n, e) => n + ofEmail(e).filter((r) => r.removed !== null).length,
				0,
			);
			const extra = emails.reduce((n, e) => n + Math.max(0, live(e).length - 1), 0);
			c.equal(missing, [], 'every email has a lead in Tracy');
			c.equal(
				twins.map((e) => `${e} ×${live(e).length}`),
				[],
				`each email has exactly one lead not in the trash (${twins.length} emails have twins, ${extra} leads too many)`,
			);
			const liveIds = new Set(records.filter((r) => r.removed === null).map((r) => r.id));
			const pointsAtTrash = runs.filter(
				(r) => r.outcome !== 'other' && !liveIds.has(r.recordId as number),
			);
			const creates = ours.filter((r) => r.method === 'POST' && r.path === '/v1/records');
			c.that(
				creates.every((r) => r.status === 200 || r.status === 201),
				`every create was accepted: ${[...new Set(creates.map((r) => r.status))].join(', ')}`,
			);

			log(
				`  ${runs.length} executions in ${(wallMs / 1000).toFixed(1)} s (all answered after ${(answeredMs / 1000).toFixed(1)} s); per worker ${workers.map((w, k) => `${w.name} ${split[k]}`).join(', ')};` +
					` ${onTwoWorkers.length} emails ran on both workers, ${overlapped.length} of them at the same time; the main instance logged ${runs.filter((r) => finished.get(r.id)?.workerId.startsWith('worker-')).length} as finished on a worker`,
			);
			log(
				`  outputs: created ${outcomes.created}, found (created: false) ${outcomes.found}, merged ${outcomes.merged}, other ${outcomes.other};` +
					` ${pointsAtTrash.length} output a lead that is not (or no longer) live`,
			);
			const twinsOnTwoWorkers = twins.filter((e) => onTwoWorkers.some((p) => p[0].email === e));
			log(
				`  Tracy: ${created} leads created for the ${EMAILS} emails, ${trashed} moved to the trash (merged twins); ${EMAILS - twins.length - missing.length} emails with exactly one live lead, ${twins.length} with twins (${extra} leads too many; of those emails ${twinsOnTwoWorkers.length} ran on both workers, ${twins.length - twinsOnTwoWorkers.length} twice on one), ${missing.length} with none`,
			);
			log(`  requests Tracy received with the twins key: ${ours.length}: ${byRoute(ours)}`);
			log(`  load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
		},
		{
			onFailure: () =>
				[main.process, ...cluster.workers.filter((w) => w.process).map((w) => w.process!)]
					.map((s) => `--- ${s.logFile}\n${s.logTail(15)}`)
					.join('\n'),
		},
	);
}
