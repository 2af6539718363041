/**
 * n8n's HTTP Request node for the comparison, loaded from an n8n-nodes-base outside the package: the
 * end-to-end tests' n8n install if there is one, else a benchmark cache folder where `n8n-nodes-base`
 * (the version that ships with our n8n-core) is installed with `--ignore-scripts`. BENCH_NO_INSTALL=1
 * forbids that install; (c) is then reported unavailable.
 *
 * The engine checks `instanceof` on n8n-workflow's classes, so the node must use the same n8n-workflow
 * as n8n-core here: requests for `n8n-workflow` and `n8n-core` coming from that folder are answered
 * with this package's copies (same versions, checked before loading).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';

import type { INodeParameters, IVersionedNodeType } from 'n8n-workflow';

import { postRecordBodyExpression } from './fixtures';

export const HTTP_REQUEST_NODE_TYPE = 'n8n-nodes-base.httpRequest';
export const HTTP_REQUEST_VERSION = 4.2;

const NODE_FILE = 'node_modules/n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js';
const own = (name: string) => require.resolve(`${name}/package.json`, { paths: [process.cwd()] });
const readPackage = (file: string) =>
	JSON.parse(readFileSync(file, 'utf8')) as {
		version: string;
		dependencies?: Record<string, string>;
	};
const coreVersion = readPackage(own('n8n-core')).version;
const workflowVersion = readPackage(own('n8n-workflow')).version;

const cacheRoot = process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-tracy');
const benchFolder = join(cacheRoot, `bench-n8n-nodes-base-${coreVersion}`);

export interface HttpRequestNodeSource {
	folder: string;
	nodesBaseVersion: string;
	how: string;
}

/** A folder whose n8n-nodes-base has the HTTP Request node and is built on our n8n-workflow. */
function usable(folder: string): HttpRequestNodeSource | undefined {
	if (!existsSync(join(folder, NODE_FILE))) return undefined;
	const pkg = readPackage(join(folder, 'node_modules', 'n8n-nodes-base', 'package.json'));
	const wants = pkg.dependencies?.['n8n-workflow'];
	if (wants && wants !== workflowVersion) return undefined;
	const how = folder === benchFolder ? 'benchmark cache' : 'e2e n8n install';
	return { folder, nodesBaseVersion: pkg.version, how };
}

/** The e2e installs of n8n first, then the benchmark's own folder. */
function find(): HttpRequestNodeSource | undefined {
	const installs = existsSync(cacheRoot)
		? readdirSync(cacheRoot)
				.sort()
				.filter((name) => name.startsWith(`n8n-${coreVersion}-`))
				.map((name) => join(cacheRoot, name))
		: [];
	return [...installs, benchFolder].map(usable).find(Boolean);
}

/** Installs n8n-nodes-base into the benchmark cache folder (never into the package). */
function install(): void {
	mkdirSync(benchFolder, { recursive: true });
	writeFileSync(join(benchFolder, 'package.json'), '{ "name": "bench-n8n-nodes-base" }\n');
	process.stderr.write(
		`[bench] installing n8n-nodes-base@${coreVersion} into ${benchFolder} (one time, a few minutes)\n`,
	);
	const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', benchFolder];
	execFileSync('npm', [...args, `n8n-nodes-base@${coreVersion}`], {
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}

/** Requests for n8n-workflow and n8n-core from the other folder get this package's copies. */
function shareEngine(folder: string) {
	const m = Module as unknown as {
		_resolveFilename: (
			request: string,
			parent?: { filename?: string },
			...rest: unknown[]
		) => string;
	};
	const original = m._resolveFilename;
	m._resolveFilename = function (request, parent, ...rest) {
		const name = request.split('/')[0];
		if (['n8n-workflow', 'n8n-core'].includes(name) && parent?.filename?.startsWith(folder + sep))
			return require.resolve(request, { paths: [process.cwd()] });
		return original.call(this, request, parent, ...rest);
	};
}

export type Loaded =
	| { nodeType: IVersionedNodeType; source: HttpRequestNodeSource }
	| { unavailable: string };

/** Finds or installs n8n-nodes-base and loads the HTTP Request node. */
export function loadHttpRequestNode(): Loaded {
	const firstLine = (error: unknown) => (error as Error).message.split('\n')[0];
	let source = find();
	if (!source && process.env.BENCH_NO_INSTALL !== '1') {
		try {
			install();
			source = usable(benchFolder);
		} catch (error) {
			return {
				unavailable: `installing n8n-nodes-base@${coreVersion} failed: ${firstLine(error)}`,
			};
		}
	}
	if (!source)
		return {
			unavailable: `no n8n-nodes-base ${coreVersion} built on n8n-workflow ${workflowVersion} in ${cacheRoot} (BENCH_NO_INSTALL=1)`,
		};
	shareEngine(source.folder);
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(join(source.folder, NODE_FILE)) as {
			HttpRequest: new () => IVersionedNodeType;
		};
		return { nodeType: new mod.HttpRequest(), source };
	} catch (error) {
		return {
			unavailable: `loading the HTTP Request node from ${source.folder}: ${firstLine(error)}`,
		};
	}
}

/**
 * The HTTP Request node set up to send Lead → Create's request: POST {baseUrl}/v1/records with the
 * Tracy API credential (Authentication → Predefined Credential Type → Tracy API, as the docs advise for
 * endpoints the node lacks) and the PostRecord body as JSON built from the submission.
 */
export const httpRequestParameters = (
	baseUrl: string,
	options: INodeParameters = {},
): INodeParameters => ({
	method: 'POST',
	url: `${baseUrl}/v1/records`,
	authentication: 'predefinedCredentialType',
	nodeCredentialType: 'tracyApi',
	sendBody: true,
	contentType: 'json',
	specifyBody: 'json',
	jsonBody: postRecordBodyExpression(),
	options,
});
