/**
 * `npm run test:e2e:queue`: the package in n8n's queue mode. Postgres and Redis (Debian's packages,
 * started here on 127.0.0.1 with data in temporary folders), one n8n main instance and two workers,
 * each an instance of its own (own user folder, the packed package installed in it as a community
 * package, the same N8N_ENCRYPTION_KEY), sharing the database and the queue.
 *
 * Scenarios: the web-form example, active, takes 50 submissions on its production webhook URL with
 * one worker running, then 50 more with two; exactly those leads reach the emulator, each once, and
 * every execution ran on a worker (the worker's own log names it; the main instance logs which
 * worker reported it finished). Then Twins (./twins.ts): Lead → Create or Update gets 100 emails, each
 * twice at the same moment, and each person is in Tracy exactly once; then the polling-trigger
 * scenarios of ./trigger.ts, and the load and fault run of ./load.ts.
 *
 * `N8N_E2E_ONLY=Twins npm run test:e2e:queue` (or `npm run test:e2e:queue -- --only=Twins`) runs
 * Twins alone: ../scenario.ts selects the scenarios whose name has one of the comma-separated words
 * (Queue mode for the web-form ones and the trigger's, Twins, Trigger, Load).
 *
 * The closing line has the same form as run-e2e's, for CI's count. N8N_E2E_KEEP=1 keeps the user
 * folders (kept anyway when something fails).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ReceivedRequest } from '../../emulator/server';
import { startEmulator } from '../../emulator/server';
import { installN8n, killAll, leftoverGroups, N8nUserFolder, REPO_ROOT, sleep } from '../n8n';
import { results, scenario, selected, summarize } from '../scenario';
import type { ServerExecution } from '../server';
import { N8nServer } from '../server';
import type { CredentialRef, WorkflowJson } from '../workflows';
import { adoptExample, readExamples, tracyCredential } from '../workflows';
import type { Cluster, Instance } from './cluster';
import {
	activate,
	clusterEnv,
	executionsStartedBy,
	finishedOnWorker,
	log,
	startWorker,
} from './cluster';
import type { Postgres, Redis } from './services';
import { ensureServices, startPostgres, startRedis } from './services';
import type { LoadFigures } from './load';
import { loadSuite, prepareLoad } from './load';
import { prepareQueueTrigger, queueTriggerSuite } from './trigger';
import { prepareTwins, twinsSuite } from './twins';

const SUBMISSIONS = 50;
/** Submissions in flight at once, as a busy web form would send them. */
const PARALLEL = 10;
const WEB_FORM_EXAMPLE = 'web-form-lead.json';

// ------------------------------------------------------------------------------------------------ web form

function leadEmail(r: ReceivedRequest): unknown {
	return (
		(r.body as { datums?: Array<{ property: { id: number }; value: unknown }> }).datums ?? []
	).find((d) => d.property.id === 2)?.value;
}

/** Sends `bodies` to `url`, `PARALLEL` at a time; the answers in order. */
async function submitAll(url: string, bodies: object[]): Promise<number[]> {
	const statuses: number[] = new Array(bodies.length);
	let next = 0;
	const lane = async () => {
		while (next < bodies.length) {
			const i = next++;
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(bodies[i]),
			});
			await res.text();
			statuses[i] = res.status;
		}
	};
	await Promise.all(Array.from({ length: PARALLEL }, lane));
	return statuses;
}

export interface Timing {
	workers: number;
	/** First submission sent until Tracy held the last lead. */
	ms: number;
	medianExecutionMs: number;
}

async function webFormSuite(
	cluster: Cluster,
	workflowId: string,
	example: WorkflowJson,
	timings: Timing[],
) {
	const { emulator, main } = cluster;
	const hook = example.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
	const leadNode = example.nodes.find((n) => n.type.endsWith('.tracy'))!.name;
	const seen = new Set<string>();

	for (const round of [1, 2]) {
		const name = `Queue mode: the web-form example takes ${SUBMISSIONS} submissions on its production URL with ${round === 1 ? 'one worker' : 'two workers'}`;
		if (!selected(name)) continue;
		const running = cluster.workers.slice(0, round);
		for (const w of running) if (!w.process) await cluster.startWorker(w);
		const bodies = Array.from({ length: SUBMISSIONS }, (_, i) => ({
			name: `Queue Lead ${round}-${i + 1}`,
			email: `queue${round}-${i + 1}@example.com`,
			company: `Company ${i + 1}`,
		}));
		const emails = bodies.map((b) => b.email);
		await scenario(
			name,
			emulator,
			async () => {
				const before = emulator.requests.length;
				const started = Date.now();
				const statuses = await submitAll(
					main.process.webhookUrl(String(hook.parameters.path)),
					bodies,
				);
				// the time for the leads: first submission sent until Tracy holds the last of them
				const deadline = Date.now() + 180_000;
				const key = emulator.keyFor('webform');
				const answered = () =>
					emulator.requests
						.slice(before)
						.filter(
							(r) =>
								r.method === 'POST' && r.headers['x-api-key'] === key && r.status !== undefined,
						).length;
				while (answered() < SUBMISSIONS && Date.now() < deadline) {
					await sleep(20);
				}
				const ms = Date.now() - started;
				const all = await main.process.executions(workflowId, seen.size + SUBMISSIONS, 120_000);
				const executions = all.filter((e) => !seen.has(String(e.id)));
				for (const e of executions) seen.add(String(e.id));
				// a moment for anything sent twice to show up
				await sleep(1000);
				return { statuses, ms, executions };
			},
			(c, { statuses, ms, executions, requests }) => {
				c.equal(
					statuses,
					bodies.map(() => 200),
					'the webhook took every submission',
				);
				const creates = requests.filter((r) => r.method === 'POST' && r.path === '/v1/records');
				c.equal(creates.length, SUBMISSIONS, `exactly ${SUBMISSIONS} creates reached Tracy`);
				// the polling trigger's reads (another key) may fall in the same minutes
				const webFormKeyRequests = requests.filter(
					(r) => r.headers['x-api-key'] === emulator.keyFor('webform'),
				);
				c.equal(
					webFormKeyRequests.length,
					creates.length,
					'the web-form key sent nothing but creates',
				);
				c.that(
					creates.every((r) => r.status === 201 || r.status === 200),
					`every create was accepted: ${[...new Set(creates.map((r) => r.status))].join(', ')}`,
				);
				c.that(
					creates.every((r) => r.headers['x-api-key'] === emulator.keyFor('webform')),
					'every create carries the web-form key (decrypted on the worker)',
				);
				c.equal(
					creates.map(leadEmail).sort(),
					[...emails].sort(),
					'each submission reached Tracy once',
				);

				c.equal(executions.length, SUBMISSIONS, 'one execution per submission');
				c.that(
					executions.every((e) => e.status === 'success'),
					`every execution succeeded: ${[...new Set(executions.map((e) => e.status))].join(', ')}`,
				);
				const ids = executions.map((e: ServerExecution) => {
					const run = e.data?.resultData?.runData?.[leadNode]?.[0] as
						| { data?: { main?: Array<Array<{ json: { id?: unknown } }>> } }
						| undefined;
					return run?.data?.main?.[0]?.[0]?.json.id;
				});
				const stored = new Set(emulator.storedRecords(1).map((r) => r.id));
				c.that(
					ids.every((i) => stored.has(i as number)),
					'each execution output a lead Tracy stored',
				);
				c.equal(new Set(ids).size, SUBMISSIONS, 'each execution output a different lead');

				// which process ran each execution: the worker's own log, and the main instance's record of the worker that reported it
				const byWorker = running.map((w) => new Set(executionsStartedBy(w.process!)));
				const finished = finishedOnWorker(cluster.mains);
				const executionIds = executions.map((e) => String(e.id));
				const runners = executionIds.map((id) => byWorker.filter((s) => s.has(id)).length);
				c.that(
					runners.every((n) => n === 1),
					`every execution was started by exactly one worker: ${JSON.stringify(runners)}`,
				);
				c.that(
					executionIds.every(
						(id) => finished.get(id)?.workerId.startsWith('worker-') && finished.get(id)?.success,
					),
					`the main instance logged each execution as finished on a worker: ${JSON.stringify(executionIds.filter((id) => !finished.get(id)?.workerId.startsWith('worker-')))} not`,
				);
				c.equal(
					cluster.mains.flatMap(executionsStartedBy).length,
					0,
					'the main instance ran no execution itself',
				);
				const split = byWorker.map((s) => executionIds.filter((id) => s.has(id)).length);
				c.that(
					split.every((n) => n > 0),
					`every running worker took executions: ${split.join(' + ')}`,
				);
				// n8n's own record of each execution: started on the worker until stopped
				const durations = executions
					.map((e) => Date.parse(String(e.stoppedAt)) - Date.parse(String(e.startedAt)))
					.filter((d) => Number.isFinite(d))
					.sort((a, b) => a - b);
				const median = durations[Math.floor(durations.length / 2)] ?? NaN;
				timings.push({ workers: round, ms, medianExecutionMs: median });
				log(
					`  ${SUBMISSIONS} leads with ${round} worker${round > 1 ? 's' : ''}: ${(ms / 1000).toFixed(1)} s (${((SUBMISSIONS * 1000) / ms).toFixed(1)} leads/s);` +
						` executions per worker ${split.join(' + ')}; median execution ${median} ms; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
				);
			},
			{
				onFailure: () =>
					[main.process, ...running.map((w) => w.process!)]
						.map((s) => `--- ${s.logFile}\n${s.logTail(30)}`)
						.join('\n'),
			},
		);
	}
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
	const t0 = Date.now();
	const install = installN8n();
	log(`n8n ${install.n8nVersion} on Node.js ${install.nodeVersion} (${install.dir})`);
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist/nodes/Tracy/Tracy.node.js')))
		throw new Error('dist/ is missing: run npm run build first');

	const root = path.join(REPO_ROOT, '.e2e', `queue-${install.n8nVersion}`);
	const emulator = await startEmulator();
	let pg: Postgres | undefined;
	let redis: Redis | undefined;
	let instances: Instance[] = [];
	const cleanup = async () => {
		// workers first, so none is left waiting on a queue whose main instance is gone; then the services
		for (const i of [...instances].reverse()) await i.process?.stop();
		killAll();
		for (let i = 0; i < 50 && leftoverGroups().length; i++) await sleep(100);
		await emulator.stop();
		await redis?.stop();
		await pg?.stop();
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			console.error(`\n${signal}: stopping n8n, Redis, Postgres and the emulator`);
			void cleanup().finally(() => process.exit(130));
		});
	}

	const timings: Timing[] = [];
	let figures: LoadFigures | undefined;
	let failed = false;
	let stage = 'Postgres and Redis';
	try {
		const tSet = Date.now();
		const bins = ensureServices(log);
		[pg, redis] = await Promise.all([startPostgres(bins), startRedis(bins)]);
		const since = (t: number) => `${Math.round((Date.now() - t) / 1000)} s`;
		log(
			`Postgres on 127.0.0.1:${pg.port}, Redis on 127.0.0.1:${redis.port} (${since(tSet)}); Tracy emulator ${emulator.url}`,
		);
		let tStage = Date.now();

		stage = 'n8n instances';
		const env = clusterEnv(pg, redis);
		const instance = (name: string): Instance => ({
			name,
			folder: new N8nUserFolder(install, { root: path.join(root, name), env }),
		});
		const mainInstance = instance('main');
		const workers = [instance('worker1'), instance('worker2')];
		instances = [mainInstance, ...workers];
		for (const i of [mainInstance, ...workers]) {
			i.folder.reset();
			i.folder.installPackageTarball();
		}
		log(
			`the package installed as a community package in ${instances.map((i) => path.relative(REPO_ROOT, i.folder.root)).join(', ')} (${since(tStage)})`,
		);
		tStage = Date.now();

		// credentials and workflows go into the shared database through the main instance's CLI
		const webform: CredentialRef = {
			id: 'queueTracyWebForm',
			name: 'Tracy emulator (web-form key)',
		};
		const sales: CredentialRef = { id: 'queueTracySales', name: 'Tracy emulator (sales key)' };
		const twins = prepareTwins(emulator);
		await mainInstance.folder.importCredentials([
			tracyCredential(webform, emulator.keyFor('webform'), emulator.url),
			tracyCredential(sales, emulator.keyFor('sales'), emulator.url),
			...(twins?.credentials ?? []),
		]);
		const example = readExamples().find((e) => e.file === WEB_FORM_EXAMPLE)?.workflow;
		if (!example) throw new Error(`examples/${WEB_FORM_EXAMPLE} is missing`);
		const webFormId = 'queueWebFormLead';
		const trigger = prepareQueueTrigger(emulator, sales);
		const load = prepareLoad({ webform, sales });
		await mainInstance.folder.importWorkflows([
			adoptExample(example, webFormId, webform),
			...(twins?.workflows ?? []),
			...(trigger?.workflows ?? []),
			...(load?.workflows ?? []),
		]);
		log(`database migrated, credentials and workflows imported (${since(tStage)})`);
		tStage = Date.now();

		const cluster = {
			install,
			emulator,
			workers,
			credentials: { webform, sales },
			main: mainInstance,
			mains: [],
			async startMain() {
				mainInstance.process = await N8nServer.start(mainInstance.folder);
				cluster.mains.push(mainInstance.process);
				return mainInstance.process;
			},
			startWorker,
		} as Cluster;
		await cluster.startMain();
		// published through the running main instance: one n8n CLI start-up fewer per workflow
		for (const id of [
			webFormId,
			...(twins?.ids ?? []),
			...(trigger?.ids ?? []),
			...(load?.ids ?? []),
		])
			await activate(cluster.main.process, id);
		const hook = example.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
		await cluster.main.process.waitForWebhook(
			cluster.main.process.webhookUrl(String(hook.parameters.path)),
		);
		log(
			`main instance ${cluster.main.process.url}, workflows active (${since(tStage)}; set-up ${since(tSet)})`,
		);
		await trigger?.afterMainStart();

		stage = 'scenarios';
		await webFormSuite(cluster, webFormId, example, timings);
		await twinsSuite(cluster, twins);
		await queueTriggerSuite(cluster, trigger);
		figures = await loadSuite(cluster, load);
	} catch (error) {
		failed = true;
		const message = error instanceof Error ? error.message : String(error);
		console.error(`\n✗ queue-mode set-up failed (${stage}): ${message}`);
		if (stage !== 'scenarios')
			results.push({ name: `Queue mode: set-up (${stage})`, ok: false, ms: Date.now() - t0 });
	} finally {
		await cleanup();
	}

	if (figures) log(`\nload run: ${JSON.stringify(figures)}`);
	if (timings.length)
		log(
			`\ntime for ${SUBMISSIONS} leads: ${timings.map((t) => `${t.workers} worker${t.workers > 1 ? 's' : ''} ${(t.ms / 1000).toFixed(1)} s`).join(', ')}`,
		);
	failed = summarize(
		failed,
		`queue mode: n8n ${install.n8nVersion}, Node.js ${install.nodeVersion}; total ${Math.round((Date.now() - t0) / 1000)} s`,
	);
	if (failed) {
		log(`user folders kept for inspection: ${root}`);
		process.exit(1);
	}
	if (!process.env.N8N_E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
}

main().catch((error) => {
	killAll();
	console.error(error);
	process.exit(1);
});
