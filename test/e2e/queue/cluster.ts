/**
 * The queue-mode cluster the scenarios run against: n8n instances (main, workers) that each have a
 * user folder of their own, as on machines of their own, sharing Postgres, Redis and the encryption
 * key; and what their JSON log lines say about which process ran an execution.
 */
import * as fs from 'node:fs';

import type { TracyEmulator } from '../../emulator/server';
import type { N8nInstall, N8nUserFolder } from '../n8n';
import { freePort, sleep } from '../n8n';
import { N8nServer } from '../server';
import type { CredentialRef } from '../workflows';
import type { Postgres, Redis } from './services';

export const log = (line: string) => process.stdout.write(`${line}\n`);

// ------------------------------------------------------------------------------------------------ the cluster

/** One n8n instance of the cluster: its own user folder, as on a machine of its own. */
export interface Instance {
	name: string;
	folder: N8nUserFolder;
	process?: N8nServer;
}

export interface Cluster {
	install: N8nInstall;
	emulator: TracyEmulator;
	main: Instance & { process: N8nServer };
	workers: Instance[];
	credentials: { webform: CredentialRef; sales: CredentialRef };
	/** Every main process started so far, the current one last: their logs tell which worker finished what. */
	mains: N8nServer[];
	/** Starts the main instance (again, after `main.process.stop()`). */
	startMain(): Promise<N8nServer>;
	/** Starts a worker and waits until it takes jobs. */
	startWorker(worker: Instance): Promise<N8nServer>;
}

/** The instances' shared settings: the database, the queue, the one encryption key (N8nUserFolder's). */
export function clusterEnv(pg: Postgres, redis: Redis): Record<string, string> {
	return {
		...pg.n8nEnv,
		...redis.n8nEnv,
		EXECUTIONS_MODE: 'queue',
		// one JSON object a line: the execution and worker IDs are in each line's metadata
		N8N_LOG_FORMAT: 'json',
	};
}

export async function startWorker(worker: Instance): Promise<N8nServer> {
	const port = String(await freePort());
	const server = await N8nServer.start(
		worker.folder,
		{
			// the worker's health server on N8N_PORT's free port, so N8nServer.start waits for its /healthz
			env: {
				N8N_PORT: port,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: port,
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			},
		},
		['worker'],
	);
	// /healthz answers as soon as the server listens; readiness once the worker takes jobs
	const deadline = Date.now() + 60_000;
	for (;;) {
		const res = await fetch(`${server.url}/healthz/readiness`).catch(() => undefined);
		if (res?.ok) break;
		if (Date.now() > deadline) {
			await server.stop();
			throw new Error(
				`worker ${worker.name} never became ready\n--- ${server.logFile}\n${server.logTail(40)}`,
			);
		}
		await sleep(250);
	}
	worker.process = server;
	return server;
}

/** Publishes a workflow through the running main instance, as the editor's Publish button does. */
export async function activate(server: N8nServer, workflowId: string) {
	const wf = await server.rest<{ versionId?: string }>('GET', `workflows/${workflowId}`);
	if (!wf.versionId) throw new Error(`workflow ${workflowId} has no versionId to publish`);
	const active = await server.rest<{ active?: boolean; activeVersionId?: string | null }>(
		'POST',
		`workflows/${workflowId}/activate`,
		{ versionId: wf.versionId },
	);
	if (!active.active && !active.activeVersionId)
		throw new Error(
			`workflow ${workflowId} did not become active: ${JSON.stringify(active).slice(0, 300)}`,
		);
}

// ------------------------------------------------------------------------------------------------ logs

interface LogLine {
	message?: string;
	metadata?: Record<string, unknown>;
}

/** n8n's JSON log lines (N8N_LOG_FORMAT=json) of one instance. */
export function logLines(server: N8nServer): LogLine[] {
	let text = '';
	try {
		text = fs.readFileSync(server.logFile, 'utf8');
	} catch {
		return [];
	}
	const out: LogLine[] = [];
	for (const line of text.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			out.push(JSON.parse(line) as LogLine);
		} catch {
			// a line cut by a chunk boundary or not ours
		}
	}
	return out;
}

/** Execution IDs a worker's own log says it started ("Worker started execution <id> (job <n>)"). */
export function executionsStartedBy(server: N8nServer): string[] {
	return logLines(server)
		.filter((l) => l.message?.startsWith('Worker started execution '))
		.map((l) => String(l.metadata?.executionId ?? /execution (\S+)/.exec(l.message!)?.[1]));
}

/** What main instances logged when a worker reported an execution finished: execution ID → worker ID. */
export function finishedOnWorker(
	mains: N8nServer[],
): Map<string, { workerId: string; success: boolean }> {
	const out = new Map<string, { workerId: string; success: boolean }>();
	for (const l of mains.flatMap(logLines)) {
		if (!/^Execution \S+ \(job \S+\) finished$/.test(l.message ?? '')) continue;
		out.set(String(l.metadata?.executionId), {
			workerId: String(l.metadata?.workerId),
			success: l.metadata?.success === true,
		});
	}
	return out;
}
