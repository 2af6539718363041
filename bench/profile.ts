/**
 * Where the time of a variant goes: runs it under the V8 CPU profiler (node:inspector, no flags needed)
 * against the emulator in its own process, then prints self time by area (our code, expression
 * evaluation, n8n-core's routing, HTTP, ...) and the inclusive time of each of our hooks.
 *
 *   npm run bench -- --profile a          # the Tracy node, Lead → Create, 1,000 items, 3 runs
 *   npm run bench -- --profile d --items 2000 --repeat 5 --save /tmp/d.cpuprofile
 *   npm run bench -- --profile getAll     # Record → Get Many, Return All over 10,000 records
 *   npm run bench -- --profile dHidden    # also aTrimmed, dHidden: the variants of bench/experiments.ts
 *   npm run bench -- --profile a --mock   # requests answered inside the engine: engine and node alone
 *
 * The profile can be opened in Chrome DevTools or speedscope when saved with --save.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { relative, sep } from 'node:path';

import { startEmulatorProcess } from './emulator-process';
import { EXPERIMENT_VARIANTS } from './experiments';
import { submissions } from './fixtures';
import type { Target, VariantResult } from './variants';
import {
	floorCreate,
	httpRequestCreate,
	rawCreateConcurrent,
	rawGetAll,
	tracyCreate,
	tracyGetAll,
} from './variants';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount: number;
	children?: number[];
}
interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

const repoRoot = relative('/', process.cwd()) ? process.cwd() : '/';

/** The area a function belongs to, from its file. */
export function area(url: string, name: string): string {
	const file = url.replace(/^file:\/\//, '');
	if (!file)
		return name === '(garbage collector)'
			? 'garbage collection'
			: name === '(program)' || name === '(idle)'
				? 'idle / program'
				: 'native';
	if (
		file.includes(`${sep}.build${sep}nodes${sep}`) ||
		file.includes(`${sep}.build${sep}credentials${sep}`)
	)
		return 'ours: nodes/ and credentials/';
	if (
		file.includes(`${sep}.build${sep}bench${sep}`) ||
		file.includes(`${sep}.build${sep}test${sep}`)
	)
		return 'benchmark harness';
	if (
		/n8n-workflow.*(expression|tournament|workflow-data-proxy|extensions)/.test(file) ||
		file.includes('@n8n/tournament') ||
		file.includes('expression-runtime') ||
		file.includes('esprima') ||
		file.includes('recast') ||
		file.includes('ast-types')
	)
		return 'n8n: expression evaluation';
	if (file.includes('n8n-workflow')) return 'n8n-workflow: other (parameters, display options)';
	if (file.includes('routing-node')) return 'n8n-core: RoutingNode';
	if (file.includes('n8n-core') && /request|http/i.test(file)) return 'n8n-core: HTTP helpers';
	if (file.includes('n8n-core')) return 'n8n-core: other (engine, contexts)';
	if (file.includes('n8n-nodes-base')) return 'n8n-nodes-base: HTTP Request node';
	if (/axios|follow-redirects|form-data|proxy-from-env|agent/.test(file))
		return 'HTTP client (axios)';
	if (file.startsWith('node:') || !file.startsWith('/'))
		return /http|net|stream|undici|fetch|tls|dns/.test(file) ? 'node: http/net' : 'node: other';
	if (file.includes('lodash')) return 'lodash';
	return `other: ${file.split(`node_modules${sep}`).pop()?.split(sep)[0] ?? file}`;
}

export interface Summary {
	totalMs: number;
	byArea: Array<[string, number]>;
	topSelf: Array<[string, number]>;
	ourHooks: Array<[string, number]>;
	engine: Array<[string, number]>;
}

/** n8n functions whose inclusive time says where a run goes (a sample counts once per stack). */
const ENGINE_FUNCTIONS: Array<[label: string, functionName: string, file: string]> = [
	['RoutingNode.runNode: all of the declarative run', 'runNode', 'routing-node'],
	[
		'… its walk of the description for each item (getRequestOptionsFromParameters)',
		'getRequestOptionsFromParameters',
		'routing-node',
	],
	['… its second walk, for the base URL (resolveBaseUrl)', 'resolveBaseUrl', 'routing-node'],
	[
		"… each item's request: preSend hooks, HTTP, postReceive hooks (makeRequest)",
		'makeRequest',
		'routing-node',
	],
	[
		'expression evaluation with its data proxy, wherever called (WorkflowExpression.resolveSimpleParameterValue)',
		'resolveSimpleParameterValue',
		'n8n-workflow/dist/cjs/workflow-expression.js',
	],
	[
		'parameter reads from node code (getNodeParameter)',
		'_getNodeParameter',
		'node-execution-context',
	],
	[
		'the HTTP call with authentication (httpRequestWithAuthentication)',
		'httpRequestWithAuthentication',
		'request-helpers/authentication',
	],
	["the HTTP Request node's execute()", 'execute', 'HttpRequestV3'],
];

/** Self time by area and function; inclusive time of the functions defined in nodes/. */
export function summarize(profile: CpuProfile): Summary {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const selfUs = new Map<number, number>();
	for (let i = 0; i < profile.samples.length; i++) {
		selfUs.set(
			profile.samples[i],
			(selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0),
		);
	}
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const label = (n: ProfileNode) =>
		`${n.callFrame.functionName || '(anonymous)'} ${
			n.callFrame.url
				? `${n.callFrame.url
						.replace(/^file:\/\//, '')
						.replace(repoRoot + sep, '')
						.replace(/.*node_modules\//, '')}:${n.callFrame.lineNumber + 1}`
				: ''
		}`.trim();
	const areaMs = new Map<string, number>();
	const fnMs = new Map<string, number>();
	let totalUs = 0;
	for (const [id, us] of selfUs) {
		const n = byId.get(id)!;
		totalUs += us;
		const a = area(n.callFrame.url, n.callFrame.functionName);
		areaMs.set(a, (areaMs.get(a) ?? 0) + us / 1000);
		fnMs.set(label(n), (fnMs.get(label(n)) ?? 0) + us / 1000);
	}
	// inclusive time of our functions: self time of every sample under them, counted once per stack
	const ours = (n: ProfileNode) =>
		area(n.callFrame.url, n.callFrame.functionName).startsWith('ours');
	const inclusive = new Map<string, number>();
	for (const [id, us] of selfUs) {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const n = byId.get(cur)!;
			if (!ours(n)) continue;
			const l = label(n);
			if (seen.has(l)) continue;
			seen.add(l);
			inclusive.set(l, (inclusive.get(l) ?? 0) + us / 1000);
		}
	}
	const engine = new Map<string, number>();
	for (const [id, us] of selfUs) {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const { functionName, url } = byId.get(cur)!.callFrame;
			const hit = ENGINE_FUNCTIONS.find(
				([, name, file]) => name === functionName && url.includes(file),
			);
			if (!hit || seen.has(hit[0])) continue;
			seen.add(hit[0]);
			engine.set(hit[0], (engine.get(hit[0]) ?? 0) + us / 1000);
		}
	}
	const sorted = (m: Map<string, number>) => [...m.entries()].sort((x, y) => y[1] - x[1]);
	return {
		totalMs: totalUs / 1000,
		byArea: sorted(areaMs),
		topSelf: sorted(fnMs).slice(0, 25),
		ourHooks: sorted(inclusive).slice(0, 25),
		engine: ENGINE_FUNCTIONS.filter(([label]) => engine.has(label)).map(([label]) => [
			label,
			engine.get(label)!,
		]),
	};
}

type Runner = (t: Target, items: { length: number }) => Promise<VariantResult>;

const VARIANTS: Record<string, { key: 'webform' | 'owner'; run: Runner; getAll?: boolean }> = {
	a: { key: 'webform', run: tracyCreate as Runner },
	b: { key: 'webform', run: rawCreateConcurrent as Runner },
	c: { key: 'webform', run: httpRequestCreate as Runner },
	d: { key: 'webform', run: floorCreate as Runner },
	getAll: { key: 'owner', run: (t) => tracyGetAll(t), getAll: true },
	getAllRaw: { key: 'owner', run: (t) => rawGetAll(t), getAll: true },
	// the experiments' variants: the Tracy node with a trimmed description, the floor with hidden properties
	...Object.fromEntries(
		EXPERIMENT_VARIANTS.filter((v) => !['a', 'c', 'd'].includes(v.key)).map((v) => [
			v.key,
			{ key: 'webform' as const, run: v.send as Runner },
		]),
	),
};

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params ?? {}, (error, result) =>
			error ? reject(error) : resolve(result as T),
		),
	);
}

export interface ProfileOptions {
	variant: string;
	items: number;
	repeat: number;
	save?: string;
	records?: number;
	/** Answer requests inside the engine (engine variants only): the profile is then engine and node alone. */
	mock?: boolean;
}

export async function profileVariant(o: ProfileOptions): Promise<Summary> {
	const v = VARIANTS[o.variant];
	if (!v) throw new Error(`--profile takes one of ${Object.keys(VARIANTS).join(', ')}`);
	const emulator = await startEmulatorProcess({
		noLog: true,
		...(v.getAll ? { extraLeads: o.records ?? 10_000 } : {}),
	});
	const target = { baseUrl: emulator.url, apiKey: emulator.keyFor(v.key), mock: o.mock };
	const items = submissions(o.items);
	try {
		await v.run(target, items); // warm-up, not profiled
		const session = new Session();
		session.connect();
		await post(session, 'Profiler.enable');
		await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
		await post(session, 'Profiler.start');
		for (let i = 0; i < o.repeat; i++) {
			const result = await v.run(target, items);
			if (result.error) throw new Error(`run failed: ${JSON.stringify(result.error)}`);
		}
		const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
		session.disconnect();
		if (o.save) writeFileSync(o.save, JSON.stringify(profile));
		return summarize(profile);
	} finally {
		await emulator.stop();
	}
}

export function printSummary(o: ProfileOptions, s: Summary) {
	const what = VARIANTS[o.variant]?.getAll
		? `${o.repeat} × Get Many over ${o.records ?? 10_000} records`
		: `${o.repeat} × ${o.items} items`;
	console.log(
		`\nCPU profile of variant ${o.variant} (${what}${o.mock ? ', requests answered inside the engine' : ''}), ${s.totalMs.toFixed(0)} ms sampled\n`,
	);
	const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1)}%`;
	console.log('| self time by area | ms | share |\n|---|---:|---:|');
	for (const [a, ms] of s.byArea) console.log(`| ${a} | ${ms.toFixed(0)} | ${pct(ms)} |`);
	console.log('\n| n8n functions, inclusive time (all they call) | ms | share |\n|---|---:|---:|');
	for (const [f, ms] of s.engine) console.log(`| ${f} | ${ms.toFixed(0)} | ${pct(ms)} |`);
	console.log('\n| functions with the most self time | ms | share |\n|---|---:|---:|');
	for (const [f, ms] of s.topSelf) console.log(`| \`${f}\` | ${ms.toFixed(0)} | ${pct(ms)} |`);
	if (s.ourHooks.length) {
		console.log(
			'\n| our functions, inclusive time (all they call) | ms | share |\n|---|---:|---:|',
		);
		for (const [f, ms] of s.ourHooks) console.log(`| \`${f}\` | ${ms.toFixed(0)} | ${pct(ms)} |`);
	}
}
