/**
 * Load and faults in queue mode. The web-form example (Webhook → Tracy → Respond to Webhook, every
 * submission that is not a confirmed create kept in a Data Table) takes 1,000 submissions at 20 a
 * second, while the emulator answers 3% of creates 503, 2% 429 with Retry-After, drops the
 * connection of 1% after storing the lead (outcome unknown), and is down (connections dropped) for
 * 30 seconds in the middle; one worker is killed (SIGKILL) mid-run and started again.
 *
 * Then what the killed worker's executions became is read from n8n (its REST API): a submission
 * whose execution crashed before it reached the Data Table is recovered from the execution's saved
 * trigger data into the table (our own path, as docs/scale.md describes). The replay example (its
 * schedule swapped for a webhook, to run it on demand) runs until only refused rows are left. Per
 * submission: in Tracy exactly once, or kept with a reason that is not transient; the figures go
 * to the log and docs/scale.md ("Running at scale").
 */
import * as os from 'node:os';

import type { ReceivedRequest } from '../../emulator/server';
import { KEPT_MESSAGE, KEPT_TABLE as TABLE, keptTable } from '../data-table';
import { sleep } from '../n8n';
import { scenario, selected, skip } from '../scenario';
import type { ServerExecution } from '../server';
import { major } from '../server';
import type { CredentialRef, WorkflowJson, WorkflowNode } from '../workflows';
import { adoptExample, readExamples } from '../workflows';
import type { Cluster } from './cluster';
import { executionsStartedBy, finishedOnWorker, log } from './cluster';

const SUBMISSIONS = Number(process.env.N8N_LOAD_SUBMISSIONS ?? 1000);
const PER_SECOND = 20;
export const LOAD_NAME = `Load: ${SUBMISSIONS} web-form submissions at ${PER_SECOND} a second through Tracy faults, a 30-second outage and a killed worker; after the replay each lead is in Tracy exactly once`;

const FORM_ID = 'queueLoadForm';
const REPLAY_ID = 'queueLoadReplay';
const FORM_PATH = 'tracy-lead-form-load';
const REPLAY_PATH = 'tracy-replay-now';
/** Seconds into the run: the outage, and the worker killed and started again. */
const OUTAGE = { from: 15, to: 45 };
const KILL_AT = 25;
const RESTART_AT = 35;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const emailOf = (i: number) => `load-${i}@example.com`;
const indexOf = (email: string) => Number(/^load-(\d+)@/.exec(email)?.[1] ?? -1);

/** The fault a submission meets on its first create: by its number, 3 + 2 + 1 in every 100. */
function faultOf(i: number): '503' | '429' | 'lostAnswer' | undefined {
	const k = i % 100;
	if (k < 3) return '503';
	if (k < 5) return '429';
	if (k === 5) return 'lostAnswer';
	return undefined;
}

function createdEmail(r: ReceivedRequest): string {
	return String(
		(
			(r.body as { datums?: Array<{ property: { id: number }; value: unknown }> })?.datums ?? []
		).find((d) => d.property.id === 2)?.value ?? '',
	);
}

export interface LoadPlan {
	workflows: WorkflowJson[];
	ids: string[];
	formPath: string;
}

/** The web-form example on a path of its own, and the replay with a webhook in place of its schedule. */
export function prepareLoad(credentials: {
	webform: CredentialRef;
	sales: CredentialRef;
}): LoadPlan | undefined {
	if (!selected(LOAD_NAME)) return undefined;
	const examples = readExamples();
	const form = examples.find((e) => e.file === 'web-form-lead-respond.json')?.workflow;
	const replay = examples.find((e) => e.file === 'web-form-lead-replay.json')?.workflow;
	if (!form || !replay) {
		skip(LOAD_NAME, 'the web-form examples are missing');
		return undefined;
	}
	const formCopy = clone(form);
	const hook = formCopy.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
	hook.parameters.path = FORM_PATH;
	hook.webhookId = '6f1e2d3c-4b5a-4968-8776-a1b2c3d4e5f6';

	const replayCopy = clone(replay);
	const schedule = replayCopy.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
	const now: WorkflowNode = {
		...schedule,
		name: 'Replay Now',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		parameters: { httpMethod: 'POST', path: REPLAY_PATH, responseMode: 'lastNode', options: {} },
		webhookId: '7a2f3e4d-5c6b-4a79-9887-b2c3d4e5f607',
	};
	replayCopy.nodes = replayCopy.nodes.map((n) => (n === schedule ? now : n));
	replayCopy.connections[now.name] = replayCopy.connections[schedule.name];
	delete replayCopy.connections[schedule.name];
	return {
		workflows: [
			adoptExample(formCopy, FORM_ID, credentials.webform),
			adoptExample(replayCopy, REPLAY_ID, credentials.sales),
		],
		ids: [FORM_ID, REPLAY_ID],
		formPath: FORM_PATH,
	};
}

interface Visit {
	i: number;
	email: string;
	status: number;
	ok?: boolean;
	message?: string;
	ms: number;
	error?: string;
}

function percentile(sorted: number[], p: number): number {
	return sorted.length
		? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
		: NaN;
}

/**
 * Every execution of a workflow, as summaries (id, status), each once. n8n's own cursor cannot be
 * used for this: its pages are sorted by start time while the cursor continues below the last row's
 * ID, and queue-mode executions start in another order than their IDs, so pages overlap and skip
 * rows. Paged by start time instead: each page asks for those started at or before the oldest of
 * the page before (`startedBefore` includes its bound), and rows seen twice are counted once.
 */
export async function allExecutions(
	cluster: Cluster,
	workflowId: string,
): Promise<ServerExecution[]> {
	const byId = new Map<string, ServerExecution>();
	let before: string | undefined;
	for (let page = 0; page < 1000; page++) {
		const filter = { workflowId, ...(before ? { startedBefore: before } : {}) };
		const list = await cluster.main.process.rest<{ results?: ServerExecution[] }>(
			'GET',
			`executions?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=100`,
		);
		const rows = list.results ?? [];
		for (const e of rows) byId.set(String(e.id), e);
		// without a position n8n puts the running ones first, then up to `limit` finished ones
		const finished = rows.filter((e) => !['running', 'new', 'waiting'].includes(String(e.status)));
		if (finished.length < 100) break;
		const oldest = finished
			.filter((e) => e.startedAt)
			.map((e) => new Date(String(e.startedAt)).toISOString())
			.sort()[0];
		// more than a page started in the same millisecond: no way further down
		if (!oldest || oldest === before) break;
		before = oldest;
	}
	return [...byId.values()];
}

/** Waits until n8n has finished (or given up on) the executions of the run: none running, the count steady. */
export async function settledExecutions(
	cluster: Cluster,
	workflowId: string,
	timeoutMs: number,
): Promise<ServerExecution[]> {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	for (;;) {
		const all = await allExecutions(cluster, workflowId);
		const busy = all.filter((e) => ['running', 'new', 'waiting'].includes(String(e.status))).length;
		if ((busy === 0 && all.length === last) || Date.now() > deadline) return all;
		last = busy === 0 ? all.length : -1;
		await sleep(2000);
	}
}

export interface LoadFigures {
	perSecond: number;
	answerMs: { median: number; p95: number; max: number };
	created: number;
	kept: number;
	replayed: number;
	lost: number;
	duplicated: number;
	drainSeconds: number;
	crashed: number;
}

export async function loadSuite(
	cluster: Cluster,
	plan: LoadPlan | undefined,
): Promise<LoadFigures | undefined> {
	if (!plan) return undefined;
	if (major(cluster.install.n8nVersion) < 2) {
		skip(
			LOAD_NAME,
			'n8n 1.x finds a Data Table by ID only (the README says how to re-pick it); the load run uses 2.x',
		);
		return undefined;
	}
	const { emulator, main } = cluster;
	let figures: LoadFigures | undefined;
	await scenario(
		LOAD_NAME,
		emulator,
		async () => {
			for (const w of cluster.workers) if (!w.process) await cluster.startWorker(w);
			const table = await keptTable(main.process, TABLE);
			if (!table) throw new Error('no Data Table in this n8n');
			const url = main.process.webhookUrl(plan.formPath);
			await main.process.waitForWebhook(url);

			// the faults, each met once per submission; the outage drops every connection
			let down = false;
			const met = new Set<string>();
			const once = (kind: ReturnType<typeof faultOf>) => (r: ReceivedRequest) => {
				if (r.method !== 'POST' || r.path !== '/v1/records') return false;
				const email = createdEmail(r);
				if (faultOf(indexOf(email)) !== kind || met.has(email)) return false;
				met.add(email);
				return true;
			};
			emulator.faults.push(
				{
					match: (r) => down && r.method === 'POST' && r.path === '/v1/records',
					status: 200,
					socket: 'reset',
					times: Infinity,
				},
				{ match: once('503'), status: 503, times: Infinity },
				{ match: once('429'), status: 429, headers: { 'Retry-After': '1' }, times: Infinity },
				{
					match: once('lostAnswer'),
					status: 200,
					socket: 'reset',
					afterProcessing: true,
					times: Infinity,
				},
			);

			const t0 = Date.now();
			const at = (seconds: number) => sleep(Math.max(0, t0 + seconds * 1000 - Date.now()));
			const killed = cluster.workers[0];
			const outage = (async () => {
				await at(OUTAGE.from);
				down = true;
				await at(OUTAGE.to);
				down = false;
			})();
			const kill = (async () => {
				await at(KILL_AT);
				log(`  ${((Date.now() - t0) / 1000).toFixed(1)} s: SIGKILL to ${killed.name}`);
				killed.process!.child.kill('SIGKILL');
				const dead = killed.process!;
				killed.process = undefined;
				await at(RESTART_AT);
				await dead.stop().catch(() => undefined);
				await cluster.startWorker(killed);
				log(`  ${((Date.now() - t0) / 1000).toFixed(1)} s: ${killed.name} started again`);
			})();
			const events = Promise.all([outage, kill]);
			const visits = await Promise.all(
				Array.from({ length: SUBMISSIONS }, async (_, i): Promise<Visit> => {
					await at(i / PER_SECOND);
					const email = emailOf(i);
					const sent = Date.now();
					try {
						const res = await fetch(url, {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify({ name: `Load Lead ${i}`, email, consent: true }),
							signal: AbortSignal.timeout(180_000),
						});
						const text = await res.text();
						let json: { ok?: boolean; message?: string } = {};
						try {
							json = JSON.parse(text) as typeof json;
						} catch {
							json = { message: text.slice(0, 200) };
						}
						return {
							i,
							email,
							status: res.status,
							ok: json.ok,
							message: json.message,
							ms: Date.now() - sent,
						};
					} catch (error) {
						return { i, email, status: 0, ms: Date.now() - sent, error: (error as Error).message };
					}
				}),
			);
			await events;
			const lastAnswer = Date.now();
			down = false;

			// every form execution n8n knows of, and those that crashed with the worker
			const executions = await settledExecutions(cluster, FORM_ID, 240_000);
			const crashed = executions.filter((e) => !['success'].includes(String(e.status)));
			const keptAfterRun = await table.rows();
			const storedEmails = () => {
				const counts = new Map<string, number>();
				for (const r of emulator.storedRecords(1)) {
					const email = JSON.stringify(r).match(/load-\d+@example\.com/)?.[0];
					if (email) counts.set(email, (counts.get(email) ?? 0) + 1);
				}
				return counts;
			};
			// what n8n made of the executions running on the killed worker: their status and error, as n8n keeps them
			const crashedAs = new Set<string>();
			for (const e of crashed.slice(0, 20)) {
				const full = await main.process.execution(String(e.id));
				const data = full.data as
					| {
							resultData?: { error?: { message?: string }; runData?: object };
							executionData?: { nodeExecutionStack?: unknown[] };
					  }
					| undefined;
				crashedAs.add(
					`${String(e.status)}: ${String(data?.resultData?.error?.message ?? '').slice(0, 90)} (run data of ${Object.keys(data?.resultData?.runData ?? {}).length} nodes, ${data?.executionData?.nodeExecutionStack?.length ?? 0} waiting)`,
				);
			}
			const kept = (await table.rows()).length;

			// the replay, run until only refused rows are left (each run answers when it has finished)
			const replayStart = Date.now();
			let rounds = 0;
			for (; rounds < 6; rounds++) {
				const rows = await table.rows();
				if (rows.every((r) => r.outcome === 'refused')) break;
				const res = await fetch(main.process.webhookUrl(REPLAY_PATH), {
					method: 'POST',
					signal: AbortSignal.timeout(300_000),
				});
				await res.text();
			}
			const drainSeconds = (Date.now() - replayStart) / 1000;
			const left = await table.rows();
			const stored = storedEmails();
			return {
				visits,
				t0,
				lastAnswer,
				executions,
				crashed,
				crashedAs: [...crashedAs],
				keptAfterRun,
				kept,
				rounds,
				drainSeconds,
				left,
				stored,
			};
		},
		(
			c,
			{
				visits,
				t0,
				lastAnswer,
				executions,
				crashed,
				crashedAs,
				kept,
				rounds,
				drainSeconds,
				left,
				stored,
				keptAfterRun,
				requests,
			},
		) => {
			const leftEmails = new Set(
				left.map((r) =>
					String((JSON.parse(String(r.submission)) as { body?: { email?: string } }).body?.email),
				),
			);
			const missing = visits.filter(
				(v) => (stored.get(v.email) ?? 0) === 0 && !leftEmails.has(v.email),
			);
			const doubled = visits.filter((v) => (stored.get(v.email) ?? 0) > 1);
			const told = (v: Visit) => v.ok === true || (v.ok === false && v.message === KEPT_MESSAGE);
			// the node's promise: whoever got { ok } is in Tracy exactly once, or kept
			c.equal(
				missing.filter(told).map((v) => v.email),
				[],
				'no submission answered { ok } is lost: each is in Tracy, or still kept',
			);
			c.equal(
				doubled.map((v) => `${v.email} ×${stored.get(v.email)}`),
				[],
				'no lead is in Tracy twice',
			);
			c.that(
				left.every((r) => r.outcome === 'refused'),
				`what is still kept was refused for good: ${left
					.map((r) => `${String(r.outcome)}: ${String(r.reason).slice(0, 60)}`)
					.slice(0, 5)
					.join('; ')}`,
			);
			c.equal(
				visits.filter((v) => v.ok === true && !stored.get(v.email)).map((v) => v.email),
				[],
				'a visitor told { ok: true } has a lead in Tracy',
			);
			c.equal(
				visits.filter((v) => v.status === 0).map((v) => `${v.email}: ${v.error}`),
				[],
				'every visitor got an HTTP answer',
			);
			// n8n's part: an execution that dies with its worker is failed by n8n, which keeps nothing of the
			// submission; its visitor gets n8n's 500. Those, and only those, may be missing.
			const notTold = visits.filter((v) => !told(v));
			c.that(
				notTold.every((v) => v.status >= 500),
				`a visitor not told { ok } got n8n's error: ${[...new Set(notTold.map((v) => v.status))].join(', ')}`,
			);
			c.that(
				notTold.length <= crashed.length + 5,
				`only the executions that died with the worker went without { ok }: ${notTold.length} visitors, ${crashed.length} failed executions`,
			);
			c.that(
				missing.every((v) => !told(v)),
				'every missing submission is one whose visitor was told it failed',
			);
			const creates = requests.filter((r) => r.method === 'POST' && r.path === '/v1/records');
			c.that(creates.length > 0, 'the form created leads');
			c.that(
				rounds <= 3,
				`the replay emptied the table of everything not refused in ${rounds} runs`,
			);
			log(
				`  what n8n made of the killed worker's executions: ${crashedAs.join(' | ') || 'none failed'}; n8n lists ${executions.length} executions of the form`,
			);

			const answerMs = visits
				.filter((v) => v.status > 0)
				.map((v) => v.ms)
				.sort((a, b) => a - b);
			const created = [...stored.values()].filter((n) => n > 0).length;
			figures = {
				perSecond: (SUBMISSIONS * 1000) / Math.max(1, lastAnswer - t0),
				answerMs: {
					median: percentile(answerMs, 50),
					p95: percentile(answerMs, 95),
					max: answerMs.at(-1) ?? NaN,
				},
				created,
				kept,
				replayed: kept - left.length,
				lost: missing.length,
				duplicated: doubled.length,
				drainSeconds,
				crashed: crashed.length,
			};
			log(
				`  ${SUBMISSIONS} submissions in ${((lastAnswer - t0) / 1000).toFixed(1)} s (${figures.perSecond.toFixed(1)}/s held); answer median ${figures.answerMs.median} ms, p95 ${figures.answerMs.p95} ms, max ${figures.answerMs.max} ms; ` +
					`${visits.filter((v) => !told(v)).length} visitors without { ok } (statuses ${[...new Set(visits.filter((v) => !told(v)).map((v) => v.status))].join(', ') || '-'})`,
			);
			log(
				`  Tracy: ${created} leads; kept ${keptAfterRun.length}${kept !== keptAfterRun.length ? ` (${kept} when the replay began)` : ''}; ${crashed.length} executions failed with the worker; replayed ${figures.replayed} in ${rounds} runs, ${drainSeconds.toFixed(1)} s; still kept (refused) ${left.length}; lost ${figures.lost}; duplicated ${figures.duplicated}; load average ${os.loadavg()[0].toFixed(1)}`,
			);
			const byWorker = cluster.workers.map((w) =>
				w.process ? executionsStartedBy(w.process).length : 0,
			);
			log(
				`  executions started per worker now running: ${byWorker.join(' + ')}; finished on a worker per the main log: ${finishedOnWorker(cluster.mains).size}`,
			);
		},
		{
			onFailure: () =>
				[main.process, ...cluster.workers.filter((w) => w.process).map((w) => w.process!)]
					.map((s) => `--- ${s.logFile}\n${s.logTail(30)}`)
					.join('\n'),
		},
	);
	emulator.faults = [];
	return figures;
}
