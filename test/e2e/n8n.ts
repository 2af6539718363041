/**
 * A real n8n, installed outside the package by install-n8n.sh, driven through its CLI: a user
 * folder of its own, the package installed in it as a community package, imports, `n8n execute`
 * and `n8n start`. Used by the end-to-end tests and by `npm run dev`.
 *
 * Every n8n process is started in a process group of its own and killed with the whole group
 * (n8n starts a task runner child), on every exit path: see `killAll`.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const PACKAGE_NAME = 'n8n-nodes-tracy';

export interface N8nInstall {
	dir: string;
	nodeBin: string;
	n8nVersion: string;
	nodeVersion: string;
}

/** Runs install-n8n.sh (a no-op when the cache already holds this version) and describes the result. */
export function installN8n(): N8nInstall {
	const script = path.join(REPO_ROOT, 'test/e2e/install-n8n.sh');
	const result = spawnSync('bash', [script], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`install-n8n.sh failed (exit ${result.status})`);
	const dir = result.stdout.trim().split('\n').pop()!;
	const nodeBin = fs.readFileSync(path.join(dir, 'node-bin'), 'utf8').trim();
	const n8nVersion = JSON.parse(
		fs.readFileSync(path.join(dir, 'node_modules/n8n/package.json'), 'utf8'),
	).version;
	const nodeVersion = spawnSync(nodeBin, ['-p', 'process.version'], {
		encoding: 'utf8',
	}).stdout.trim();
	return { dir, nodeBin, n8nVersion, nodeVersion };
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface CliResult {
	args: string[];
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export class CliError extends Error {
	constructor(
		message: string,
		readonly result: CliResult,
	) {
		super(`${message}\n${formatOutput(result)}`);
	}
}

export function formatOutput(r: CliResult): string {
	const indent = (s: string) => (s.trim() ? s.trimEnd().replace(/^/gm, '  | ') : '  | (empty)');
	return [
		`--- n8n ${r.args.join(' ')}: exit ${r.code ?? r.signal} after ${r.ms} ms`,
		'--- stdout',
		indent(r.stdout),
		'--- stderr',
		indent(r.stderr),
		'---',
	].join('\n');
}

const live = new Set<ChildProcess>();

/** Kills every n8n process group still running; safe to call more than once. */
export function killAll(signal: NodeJS.Signals = 'SIGKILL') {
	for (const child of live) {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// already gone
		}
	}
}

/** True while any process of a group we started is alive (the task runner outlives n8n briefly). */
export function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

const startedGroups: number[] = [];

/** Process groups started so far, to check at the end that none is left. */
export function leftoverGroups(): number[] {
	return startedGroups.filter(groupAlive);
}

export interface UserFolderOptions {
	/** Becomes N8N_USER_FOLDER; n8n keeps its data in `<root>/.n8n`. */
	root: string;
	env?: Record<string, string>;
}

export class N8nUserFolder {
	readonly root: string;
	readonly nodesDir: string;
	private readonly extraEnv: Record<string, string>;

	constructor(
		readonly install: N8nInstall,
		options: UserFolderOptions,
	) {
		this.root = path.resolve(options.root);
		this.nodesDir = path.join(this.root, '.n8n', 'nodes');
		this.extraEnv = options.env ?? {};
	}

	/** n8n's environment for this folder; `extra` (for one process) wins over the folder's own. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = { ...process.env };
		// nothing of the caller's n8n set-up may leak in (a developer's own N8N_* or DB_* settings)
		for (const key of Object.keys(env))
			if (/^(N8N_|DB_|EXECUTIONS_|GENERIC_|QUEUE_)/.test(key)) delete env[key];
		delete env.NODE_OPTIONS;
		return {
			...env,
			// the n8n binary's own Node first, also for the task runner it starts
			PATH: `${path.dirname(this.install.nodeBin)}${path.delimiter}${env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.root,
			N8N_ENCRYPTION_KEY: 'n8n-nodes-tracy-e2e-encryption-key',
			N8N_LOG_LEVEL: 'info',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			NODE_ENV: 'production',
			...this.extraEnv,
			...extra,
		};
	}

	/** Wipes the folder; n8n creates its database on the next command. */
	reset() {
		fs.rmSync(this.root, { recursive: true, force: true });
		fs.mkdirSync(path.join(this.root, '.n8n'), { recursive: true });
	}

	/**
	 * Installs the package as n8n's community package installer does (Settings → Community Nodes):
	 * `npm pack`, the tarball unpacked into `~/.n8n/nodes/node_modules/<package>`, its dev, peer and
	 * optional dependencies dropped, `npm install` inside it, and the package added to
	 * `~/.n8n/nodes/package.json`. The tarball is made from the built working tree.
	 */
	installPackageTarball() {
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracy-pack-'));
		const target = path.join(this.nodesDir, 'node_modules', PACKAGE_NAME);
		try {
			const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir], {
				cwd: REPO_ROOT,
				encoding: 'utf8',
			});
			if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
			const tarball = path.join(packDir, JSON.parse(pack.stdout)[0].filename);
			fs.rmSync(target, { recursive: true, force: true });
			fs.mkdirSync(target, { recursive: true });
			const tar = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], {
				encoding: 'utf8',
			});
			if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
		} finally {
			fs.rmSync(packDir, { recursive: true, force: true });
		}
		const manifestFile = path.join(target, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
		for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies'])
			delete manifest[key];
		fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
		const npm = spawnSync(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: target, encoding: 'utf8' },
		);
		if (npm.status !== 0)
			throw new Error(`npm install in ${target} failed:\n${npm.stdout}\n${npm.stderr}`);
		const nodesManifest = path.join(this.nodesDir, 'package.json');
		const nodes = fs.existsSync(nodesManifest)
			? JSON.parse(fs.readFileSync(nodesManifest, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		nodes.dependencies = { ...(nodes.dependencies ?? {}), [PACKAGE_NAME]: manifest.version };
		fs.writeFileSync(nodesManifest, JSON.stringify(nodes, null, 2));
		if (!fs.existsSync(path.join(target, 'dist/nodes/Tracy/Tracy.node.js')))
			throw new Error(`the package did not install into ${target}`);
		return target;
	}

	/** Runs one n8n CLI command to its end. Throws with n8n's output when the exit code is not the expected one. */
	async run(
		args: string[],
		options: { expectCode?: number | 'any'; timeoutMs?: number } = {},
	): Promise<CliResult> {
		const started = Date.now();
		const child = this.spawn(args);
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
		const timeoutMs = options.timeoutMs ?? 120_000;
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// gone
			}
		}, timeoutMs);
		const closed = new Promise<void>((resolve) => {
			child.once('close', () => resolve());
			child.once('error', () => resolve());
		});
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
			child.once('exit', (c, s) => resolve([c, s]));
			child.once('error', (e) => {
				stderr += `\n${e.message}`;
				resolve([null, null]);
			});
		});
		clearTimeout(timer);
		// a task runner started by n8n holds the pipes open and may outlive it: the whole group goes
		await Promise.race([closed, sleep(3000)]);
		await this.reap(child);
		await closed;
		const result: CliResult = { args, code, signal, stdout, stderr, ms: Date.now() - started };
		if (timedOut)
			throw new CliError(`n8n ${args[0]} did not finish within ${timeoutMs} ms`, result);
		const expect = options.expectCode ?? 0;
		if (expect !== 'any' && code !== expect) {
			throw new CliError(
				`n8n ${args[0]} exited with ${code ?? signal}, expected ${expect}`,
				result,
			);
		}
		return result;
	}

	/** Starts a long-running n8n command (`start`, `worker`); the caller stops it with `stop`. */
	spawn(
		args: string[],
		stdio: 'pipe' | 'inherit' = 'pipe',
		env: Record<string, string> = {},
	): ChildProcess {
		const child = spawn(
			this.install.nodeBin,
			[path.join(this.install.dir, 'node_modules/n8n/bin/n8n'), ...args],
			{
				cwd: this.root,
				env: this.env(env),
				detached: true, // own process group: Ctrl-C in a terminal reaches us, and we stop n8n in order
				stdio: ['ignore', stdio, stdio],
			},
		);
		live.add(child);
		startedGroups.push(child.pid!);
		child.once('close', () => {
			if (!groupAlive(child.pid!)) live.delete(child);
		});
		return child;
	}

	/** SIGTERM to the group, then SIGKILL after `graceMs`; resolves when no process of it is left. */
	async stop(child: ChildProcess, graceMs = 10_000) {
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			// gone
		}
		const deadline = Date.now() + graceMs;
		while (groupAlive(child.pid!) && Date.now() < deadline) await sleep(100);
		await this.reap(child);
	}

	private async reap(child: ChildProcess) {
		for (let i = 0; i < 30 && groupAlive(child.pid!); i++) await sleep(100);
		if (groupAlive(child.pid!)) {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// gone
			}
			for (let i = 0; i < 50 && groupAlive(child.pid!); i++) await sleep(100);
		}
		if (!groupAlive(child.pid!)) live.delete(child);
	}

	async importCredentials(credentials: object[]) {
		const file = path.join(this.root, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		return this.run(['import:credentials', `--input=${file}`]);
	}

	/** Imports workflows from one file holding an array, in one n8n start-up. */
	async importWorkflows(workflows: object[]) {
		const file = path.join(this.root, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
		return this.run(['import:workflow', `--input=${file}`]);
	}

	/**
	 * `n8n execute --id <id> --rawOutput`: the execution JSON is what follows the first line that is
	 * exactly `{`. Exit 0 when the execution succeeded, 1 when it failed.
	 */
	async execute(
		workflowId: string,
		expectCode: 0 | 1,
	): Promise<CliResult & { execution: Execution }> {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], { expectCode });
		const lines = result.stdout.split('\n');
		const start = lines.indexOf('{');
		if (start < 0)
			throw new CliError(
				`n8n execute printed no execution JSON for workflow ${workflowId}`,
				result,
			);
		const rest = lines.slice(start);
		// the JSON may be followed by further log lines: take the longest prefix that parses
		for (let end = rest.length; end > 0; end--) {
			try {
				return { ...result, execution: JSON.parse(rest.slice(0, end).join('\n')) as Execution };
			} catch {
				// shorter
			}
		}
		throw new CliError(
			`n8n execute printed JSON that does not parse for workflow ${workflowId}`,
			result,
		);
	}
}

export interface ExecutionError {
	message: string;
	description?: string | null;
	httpCode?: string | null;
	node?: { name: string };
	[key: string]: unknown;
}

export interface NodeRun {
	data?: {
		main: Array<Array<{
			json: Record<string, unknown>;
			error?: ExecutionError;
			pairedItem?: unknown;
		}> | null>;
	};
	error?: ExecutionError;
	executionStatus?: string;
}

export interface Execution {
	data?: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: ExecutionError;
			lastNodeExecuted?: string;
		};
	};
	resultData?: {
		runData: Record<string, NodeRun[]>;
		error?: ExecutionError;
		lastNodeExecuted?: string;
	};
	status?: string;
	finished?: boolean;
	[key: string]: unknown;
}

/** `resultData` wherever this n8n version puts it in the printed execution. */
export function resultData(execution: Execution) {
	const data = execution.data?.resultData ?? execution.resultData;
	if (!data)
		throw new Error(`no resultData in the execution: ${JSON.stringify(execution).slice(0, 500)}`);
	return data;
}

export function sleep(ms: number) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `GET /healthz` of `n8n start` until it answers `{"status":"ok"}`. */
export async function waitForHealthy(baseUrl: string, child: ChildProcess, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`n8n exited (${child.exitCode ?? child.signalCode}) while starting`);
		try {
			const res = await fetch(`${baseUrl}/healthz`);
			if (res.ok && ((await res.json()) as { status?: string }).status === 'ok') return;
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	throw new Error(`n8n did not answer ${baseUrl}/healthz within ${timeoutMs} ms`);
}
