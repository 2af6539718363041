/**
 * A running n8n (`n8n start`) for scenarios that need active workflows: webhooks, polling triggers,
 * forms, the MCP Server Trigger, the editor. Binds 127.0.0.1 on a free port, sets up the owner
 * account and signs in, so that scenarios can call n8n's REST API (`rest`) and its webhook URLs.
 *
 * Workflows are activated before the start with `publishWorkflows` (n8n's CLI reads the database
 * directly; a running n8n does not see such changes until it restarts).
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CliResult, N8nUserFolder } from './n8n';
import { freePort, sleep, waitForHealthy } from './n8n';

/** A local, loopback-only instance: this owner is made on its first start. */
export const OWNER = {
	email: 'e2e@example.com',
	firstName: 'Tracy',
	lastName: 'Tester',
	password: 'TracyE2e2026',
};

/** n8n ties its session cookie to this header: REST calls without it log the session out. */
const BROWSER_ID = 'n8n-nodes-tracy-e2e-browser';

export interface ServerOptions {
	/** Environment for this process only (queue mode, community-node tool usage, …). */
	env?: Record<string, string>;
	/** Log file; default `<user folder>/n8n-<port>.log`. */
	logFile?: string;
	/** Milliseconds to wait for /healthz. */
	startTimeoutMs?: number;
}

export function major(version: string) {
	return Number(version.split('.')[0]);
}

/**
 * Activates workflows, one n8n CLI start-up each: `publish:workflow` on n8n 2.x, `update:workflow
 * --active=true` on 1.x. Call it while no n8n of this folder is running.
 */
export async function publishWorkflows(folder: N8nUserFolder, ids: string[]): Promise<CliResult[]> {
	const out: CliResult[] = [];
	for (const id of ids) {
		const args =
			major(folder.install.n8nVersion) >= 2
				? ['publish:workflow', `--id=${id}`]
				: ['update:workflow', `--id=${id}`, '--active=true'];
		out.push(await folder.run(args));
	}
	return out;
}

/** An execution as n8n's REST API returns it, with `data` parsed. */
export type ServerExecution = Record<string, unknown> & {
	id?: string;
	status?: string;
	data?: { resultData?: { runData?: Record<string, unknown[]>; error?: { message?: string } } };
};

export class N8nServer {
	private cookie = '';

	private constructor(
		readonly folder: N8nUserFolder,
		readonly child: ChildProcess,
		readonly port: number,
		readonly logFile: string,
	) {}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The production URL of a Webhook (or Form Trigger, …) node's `path`. */
	webhookUrl(webhookPath: string) {
		return `${this.url}/webhook/${webhookPath.replace(/^\/+/, '')}`;
	}

	formUrl(formPath: string) {
		return `${this.url}/form/${formPath.replace(/^\/+/, '')}`;
	}

	/** Starts `n8n start` (or another long-running command) and waits until it answers and the owner is signed in. */
	static async start(
		folder: N8nUserFolder,
		options: ServerOptions = {},
		command: string[] = ['start'],
	): Promise<N8nServer> {
		const port = Number(options.env?.N8N_PORT ?? (await freePort()));
		const logFile = options.logFile ?? path.join(folder.root, `n8n-${command[0]}-${port}.log`);
		const env = {
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
			N8N_SECURE_COOKIE: 'false',
			...options.env,
		};
		const log = fs.openSync(logFile, 'a');
		const child = folder.spawn(command, 'pipe', env);
		child.stdout!.on('data', (d: Buffer) => fs.writeSync(log, d));
		child.stderr!.on('data', (d: Buffer) => fs.writeSync(log, d));
		child.once('close', () => fs.closeSync(log));
		const server = new N8nServer(folder, child, port, logFile);
		try {
			await waitForHealthy(server.url, child, options.startTimeoutMs ?? 120_000);
			if (command[0] === 'start') await server.signIn();
		} catch (error) {
			await folder.stop(child);
			throw new Error(
				`${error instanceof Error ? error.message : String(error)}\n--- end of ${logFile}\n${server.logTail(40)}`,
			);
		}
		return server;
	}

	/**
	 * Waits until n8n has registered a production webhook (Webhook, Form Trigger, MCP Server Trigger, …):
	 * a CORS pre-flight for it answers 204 once registered and 404 before.
	 */
	async waitForWebhook(url: string, method = 'POST', timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await fetch(url, {
				method: 'OPTIONS',
				headers: { origin: this.url, 'access-control-request-method': method },
			});
			await res.arrayBuffer();
			if (res.status < 400) return;
			if (Date.now() > deadline)
				throw new Error(
					`n8n did not register ${method} ${url} within ${timeoutMs} ms (last answer ${res.status})`,
				);
			await sleep(250);
		}
	}

	/** Owner set-up on a new database, then a sign-in; the REST API mounts a moment after /healthz answers. */
	private async signIn() {
		for (let i = 0; ; i++) {
			try {
				const setup = await fetch(`${this.url}/rest/owner/setup`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
					body: JSON.stringify(OWNER),
				});
				const text = await setup.text();
				if (!setup.ok && !(setup.status === 400 && /already/i.test(text))) {
					throw new Error(`owner set-up answered ${setup.status}: ${text.slice(0, 300)}`);
				}
				const login = await fetch(`${this.url}/rest/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
					body: JSON.stringify({
						emailOrLdapLoginId: OWNER.email,
						email: OWNER.email,
						password: OWNER.password,
					}),
				});
				if (!login.ok)
					throw new Error(
						`sign-in answered ${login.status}: ${(await login.text()).slice(0, 300)}`,
					);
				const cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie') ?? ''])
					.map((c) => c.split(';')[0])
					.find((c) => c.startsWith('n8n-auth='));
				if (!cookie) throw new Error('sign-in set no n8n-auth cookie');
				this.cookie = cookie;
				return;
			} catch (error) {
				if (i > 60) throw error;
				await sleep(500);
			}
		}
	}

	/** Headers for n8n's REST API as the signed-in owner (for a browser context too). */
	authHeaders(): Record<string, string> {
		return { cookie: this.cookie, 'browser-id': BROWSER_ID };
	}

	/** The owner's session cookie value, to hand to a browser context. */
	get sessionCookie() {
		return { name: 'n8n-auth', value: this.cookie.slice('n8n-auth='.length), url: this.url };
	}

	/** n8n's REST API as the owner; returns `data` of n8n's `{ data }` answers. */
	async rest<T = unknown>(method: string, restPath: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.url}/rest/${restPath.replace(/^\/+/, '')}`, {
			method,
			headers: {
				...this.authHeaders(),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok)
			throw new Error(
				`n8n ${method} /rest/${restPath} answered ${res.status}: ${text.slice(0, 500)}`,
			);
		const json = text ? (JSON.parse(text) as { data?: T }) : {};
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	/**
	 * Finished executions of a workflow, newest first, with their data (`includeData`), waiting until
	 * at least `count` exist or `timeoutMs` passes.
	 */
	async executions(workflowId: string, count = 1, timeoutMs = 60_000): Promise<ServerExecution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.rest<
				{ results?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>
			>('GET', `executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`);
			const rows = (Array.isArray(list) ? list : (list.results ?? [])).filter(
				(e) => e.finished !== undefined || e.status,
			);
			const done = rows.filter((e) => !['running', 'new', 'waiting'].includes(String(e.status)));
			if (done.length >= count || Date.now() > deadline)
				return Promise.all(done.map((e) => this.execution(String(e.id))));
			await sleep(500);
		}
	}

	/** One execution with its data parsed (n8n sends it in `flatted` form): `{ ...execution, data: { resultData } }`. */
	async execution(id: string | number): Promise<ServerExecution> {
		const e = await this.rest<Record<string, unknown>>('GET', `executions/${String(id)}`);
		const data = typeof e.data === 'string' ? parseFlatted(e.data) : e.data;
		return { ...e, data } as ServerExecution;
	}

	logTail(lines = 40) {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '(no log)';
		}
	}

	async stop() {
		await this.folder.stop(this.child);
	}
}

/**
 * Reads n8n's `flatted` serialisation (an array whose first entry is the root; strings in objects are
 * indices into the array), so that execution data can be checked without n8n's own packages.
 */
export function parseFlatted(text: string): unknown {
	const input = JSON.parse(text, (_key, value: unknown) =>
		typeof value === 'string' ? new String(value) : value,
	) as unknown[];
	const revived = new Set<object>();
	const resolve = (value: unknown): unknown => {
		if (!(value instanceof String)) return value;
		const target = input[Number(value)];
		if (target instanceof String) return target.valueOf();
		if (target && typeof target === 'object') revive(target);
		return target;
	};
	const revive = (object: object) => {
		if (revived.has(object)) return;
		revived.add(object);
		const record = object as Record<string, unknown>;
		for (const key of Object.keys(record)) record[key] = resolve(record[key]);
	};
	const root = input[0];
	if (root instanceof String) return root.valueOf();
	if (root && typeof root === 'object') revive(root);
	return root;
}
