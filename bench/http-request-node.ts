/**
 * n8n's HTTP Request node for the comparison, loaded from an n8n-nodes-base that lives outside the
 * package: the end-to-end tests' n8n install if there is one, else a benchmark cache folder where
 * `n8n-nodes-base` (the version that ships with our n8n-core) is installed with `--ignore-scripts`.
 *
 * The engine checks `instanceof` on n8n-workflow's classes, so the node must use the same n8n-workflow
 * as n8n-core here: requests for `n8n-workflow` and `n8n-core` coming from that folder are answered
 * with this package's copies (same versions, checked before loading).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';

import type { INodeParameters, IVersionedNodeType } from 'n8n-workflow';

import { postRecordBodyExpression } from './fixtures';

export const HTTP_REQUEST_NODE_TYPE = 'n8n-nodes-base.httpRequest';
export const HTTP_REQUEST_VERSION = 4.2;

const REL = join(
	'node_modules',
	'n8n-nodes-base',
	'dist',
	'nodes',
	'HttpRequest',
	'HttpRequest.node.js',
);

function version(packageJson: string): string {
	return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

function dependencyVersion(packageJson: string, name: string): string | undefined {
	return (
		JSON.parse(readFileSync(packageJson, 'utf8')) as { dependencies?: Record<string, string> }
	).dependencies?.[name];
}

const ownRoot = dirname(require.resolve('n8n-core/package.json', { paths: [process.cwd()] }));
const coreVersion = version(join(ownRoot, 'package.json'));
const workflowVersion = version(
	require.resolve('n8n-workflow/package.json', { paths: [process.cwd()] }),
);

export const cacheRoot = process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-tracy');
export const benchFolder = join(cacheRoot, `bench-n8n-nodes-base-${coreVersion}`);

/** Folders that may hold n8n-nodes-base: the e2e installs of n8n first, then the benchmark's own. */
function candidates(): string[] {
	const found: string[] = [];
	if (existsSync(cacheRoot)) {
		for (const name of readdirSync(cacheRoot).sort()) {
			if (name.startsWith(`n8n-${coreVersion}-`)) found.push(join(cacheRoot, name));
		}
	}
	found.push(benchFolder);
	return found;
}

export interface HttpRequestNodeSource {
	folder: string;
	nodesBaseVersion: string;
	how: string;
}

function usable(folder: string): HttpRequestNodeSource | undefined {
	if (!existsSync(join(folder, REL))) return undefined;
	const pkg = join(folder, 'node_modules', 'n8n-nodes-base', 'package.json');
	const nodesBaseVersion = version(pkg);
	const wants = dependencyVersion(pkg, 'n8n-workflow');
	if (wants && wants !== workflowVersion) return undefined;
	return {
		folder,
		nodesBaseVersion,
		how: folder === benchFolder ? 'benchmark cache' : 'e2e n8n install',
	};
}

/** Installs n8n-nodes-base into the benchmark cache folder (never into the package). */
function install(): void {
	mkdirSync(benchFolder, { recursive: true });
	writeFileSync(
		join(benchFolder, 'package.json'),
		JSON.stringify({ name: 'bench-n8n-nodes-base', private: true }, null, 2),
	);
	process.stderr.write(
		`[bench] installing n8n-nodes-base@${coreVersion} into ${benchFolder} (one time, a few minutes)\n`,
	);
	execFileSync(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--prefix',
			benchFolder,
			`n8n-nodes-base@${coreVersion}`,
		],
		{ stdio: ['ignore', 'ignore', 'inherit'] },
	);
}

let redirected = false;

/** Requests for n8n-workflow and n8n-core from the other folder get this package's copies. */
function shareEngine(folder: string) {
	if (redirected) return;
	redirected = true;
	const shared = new Set(['n8n-workflow', 'n8n-core']);
	const m = Module as unknown as {
		_resolveFilename: (
			request: string,
			parent: { filename?: string } | undefined,
			...rest: unknown[]
		) => string;
	};
	const original = m._resolveFilename;
	const prefix = folder + sep;
	m._resolveFilename = function (request, parent, ...rest) {
		const name = request.startsWith('@')
			? request.split('/').slice(0, 2).join('/')
			: request.split('/')[0];
		if (shared.has(name) && parent?.filename?.startsWith(prefix)) {
			return require.resolve(request, { paths: [process.cwd()] });
		}
		return original.call(this, request, parent, ...rest);
	};
}

export type Loaded =
	| { nodeType: IVersionedNodeType; source: HttpRequestNodeSource }
	| { unavailable: string };

/**
 * Finds or installs n8n-nodes-base and loads the HTTP Request node. `BENCH_NO_INSTALL=1` forbids the
 * install; then, without an e2e install, (c) is reported unavailable.
 */
export function loadHttpRequestNode(): Loaded {
	let source = candidates().map(usable).find(Boolean);
	if (!source && process.env.BENCH_NO_INSTALL !== '1') {
		try {
			install();
			source = usable(benchFolder);
		} catch (error) {
			return {
				unavailable: `installing n8n-nodes-base@${coreVersion} failed: ${(error as Error).message.split('\n')[0]}`,
			};
		}
	}
	if (!source) {
		return {
			unavailable: `no n8n-nodes-base ${coreVersion} built on n8n-workflow ${workflowVersion} in ${cacheRoot} (BENCH_NO_INSTALL=1)`,
		};
	}
	shareEngine(source.folder);
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(join(source.folder, REL)) as { HttpRequest: new () => IVersionedNodeType };
		return { nodeType: new mod.HttpRequest(), source };
	} catch (error) {
		return {
			unavailable: `loading the HTTP Request node from ${source.folder} failed: ${(error as Error).message.split('\n')[0]}`,
		};
	}
}

/**
 * The HTTP Request node set up to send Lead → Create's request: POST {baseUrl}/v1/records with the
 * Tracy API credential (Authentication → Predefined Credential Type → Tracy API, as the README advises
 * for endpoints the node lacks) and the PostRecord body as JSON built from the submission.
 */
export function httpRequestParameters(
	baseUrl: string,
	extraOptions: INodeParameters = {},
): INodeParameters {
	return {
		method: 'POST',
		url: `${baseUrl}/v1/records`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'tracyApi',
		sendBody: true,
		contentType: 'json',
		specifyBody: 'json',
		jsonBody: postRecordBodyExpression(),
		options: { ...extraOptions },
	};
}
