/**
 * Where (a) spends beyond the floor (d), by experiment rather than by profile alone:
 *   - the engine's work per item, counted: expression evaluations, display-option checks, parameter reads;
 *   - (a, trimmed): the Tracy node with its description cut to the properties Lead → Create shows, so
 *     the difference to (a) is what the size of the description costs (RoutingNode walks every top-level
 *     property twice per item, shown or not);
 *   - (a, identical copies merged): the mechanical part of that change (copies equal but for displayOptions);
 *   - (a, one per name): the Tracy node with one top-level property per name (the change proposed in
 *     BENCHMARKS.md, simulated for Lead → Create by dropping the hidden copies);
 *   - (d + K hidden): the floor node with K extra properties that are never shown, the same cost on the floor;
 *   - (e): a programmatic node (execute()) sending the same request, the floor of that style.
 *
 *   npm run bench -- --experiments [--repeat R] [--items N]
 */
import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { Expression, NodeHelpers } from 'n8n-workflow';

import { Tracy } from '../nodes/Tracy/Tracy.node';
import { makeNode, nodeTypes, runInEngine } from './engine';
import { submissions, webFormLead } from './fixtures';
import { FLOOR_NODE_TYPE, FloorLeadCreate, floorParameters } from './floor-node';
import { PROGRAMMATIC_FLOOR_NODE_TYPE, ProgrammaticFloorLeadCreate } from './programmatic-floor-node';
import { showSpread, spread, table } from './stats';
import type { Target, VariantResult } from './variants';
import { floorCreate, httpRequestCreate, httpRequestNode, TRACY_NODE_TYPE, tracyCreate } from './variants';
import { captureRequests, sameRequests } from './verify';

const TRIMMED = 'bench.tracyTrimmed';
const ONE_PER_NAME = 'bench.tracyOnePerName';
const IDENTICAL_MERGED = 'bench.tracyIdenticalMerged';
const FLOOR_HIDDEN = 'bench.floorHidden';

/** The Tracy node with only the top-level properties Lead → Create displays (same hooks, same routing). */
function trimmedTracy(): INodeType {
	const tracy = new Tracy();
	const probe = makeNode({ type: TRACY_NODE_TYPE, parameters: webFormLead(), credentials: { tracyApi: {} } });
	const properties = tracy.description.properties.filter((p) =>
		NodeHelpers.displayParameter(probe.parameters, p, probe, tracy.description, probe.parameters),
	);
	return { description: { ...tracy.description, properties }, methods: tracy.methods } as INodeType;
}

/**
 * The Tracy node as it would be with one top-level property per name: of the copies that share a name
 * (`dataset` ×7, `simplify` ×10, `recordId` ×9, ...), only the one Lead → Create shows is kept, or the first
 * when none is shown. What merging each name's copies into one definition would save on this operation.
 */
function onePerNameTracy(): INodeType {
	const tracy = new Tracy();
	const probe = makeNode({ type: TRACY_NODE_TYPE, parameters: webFormLead(), credentials: { tracyApi: {} } });
	const shown = (p: INodeProperties) => NodeHelpers.displayParameter(probe.parameters, p, probe, tracy.description, probe.parameters);
	const kept = new Map<string, INodeProperties>();
	for (const p of tracy.description.properties) {
		const current = kept.get(p.name);
		if (!current || (!shown(current) && shown(p))) kept.set(p.name, p);
	}
	const properties = tracy.description.properties.filter((p) => kept.get(p.name) === p);
	return { description: { ...tracy.description, properties }, methods: tracy.methods } as INodeType;
}

/**
 * The Tracy node with only the copies that are identical but for their displayOptions merged (`simplify`
 * ×10, `returnAll`, `limit`, `sort` ×2): the mechanical part of the change, no text or routing to unify.
 * Simulated for Lead → Create by keeping one copy of each identical group (the shown one if any).
 */
function identicalMergedTracy(): INodeType {
	const tracy = new Tracy();
	const probe = makeNode({ type: TRACY_NODE_TYPE, parameters: webFormLead(), credentials: { tracyApi: {} } });
	const shown = (p: INodeProperties) => NodeHelpers.displayParameter(probe.parameters, p, probe, tracy.description, probe.parameters);
	const definition = (p: INodeProperties) => JSON.stringify({ ...p, displayOptions: undefined });
	const kept = new Map<string, INodeProperties>();
	for (const p of tracy.description.properties) {
		const key = definition(p);
		const current = kept.get(key);
		if (!current || (!shown(current) && shown(p))) kept.set(key, p);
	}
	const properties = tracy.description.properties.filter((p) => kept.get(definition(p)) === p);
	return { description: { ...tracy.description, properties }, methods: tracy.methods } as INodeType;
}

/** The floor node plus `k` string properties that are never shown. */
function floorWithHidden(k: number): INodeType {
	const floor = new FloorLeadCreate();
	const hidden: INodeProperties[] = Array.from({ length: k }, (_, i) => ({
		displayName: `Hidden ${i}`,
		name: `hidden${i}`,
		type: 'string',
		default: '',
		displayOptions: { show: { '/neverShown': [true] } },
	}));
	const description: INodeTypeDescription = { ...floor.description, properties: [...floor.description.properties, ...hidden] };
	return { description };
}

const HIDDEN = 50;
nodeTypes.register(TRIMMED, trimmedTracy());
nodeTypes.register(ONE_PER_NAME, onePerNameTracy());
nodeTypes.register(IDENTICAL_MERGED, identicalMergedTracy());
nodeTypes.register(PROGRAMMATIC_FLOOR_NODE_TYPE, new ProgrammaticFloorLeadCreate());
nodeTypes.register(FLOOR_HIDDEN, floorWithHidden(HIDDEN));

const cred = (t: Target) => ({ tracyApi: { apiKey: t.apiKey, baseUrl: t.baseUrl } });

type Send = (t: Target, items: ReturnType<typeof submissions>) => Promise<VariantResult>;

export const EXPERIMENT_VARIANTS: Array<{ key: string; label: string; send: Send }> = [
	{ key: 'a', label: '(a) Tracy node', send: tracyCreate },
	{
		key: 'aTrimmed',
		label: '(a, trimmed) Tracy node, description cut to what Lead → Create shows',
		send: async (t, items) => await runInEngine({ type: TRIMMED, parameters: webFormLead(), items, credentials: cred(t), mock: t.mock }),
	},
	{
		key: 'aIdentical',
		label: '(a, identical copies merged) Tracy node, copies that differ only in displayOptions merged',
		send: async (t, items) => await runInEngine({ type: IDENTICAL_MERGED, parameters: webFormLead(), items, credentials: cred(t), mock: t.mock }),
	},
	{
		key: 'aOnePerName',
		label: '(a, one per name) Tracy node, one top-level property per name',
		send: async (t, items) => await runInEngine({ type: ONE_PER_NAME, parameters: webFormLead(), items, credentials: cred(t), mock: t.mock }),
	},
	{ key: 'd', label: '(d) floor', send: floorCreate },
	{
		key: 'dHidden',
		label: `(d + ${HIDDEN} hidden) floor with ${HIDDEN} properties never shown`,
		send: async (t, items) => await runInEngine({ type: FLOOR_HIDDEN, parameters: floorParameters(), items, credentials: cred(t), mock: t.mock }),
	},
	{
		key: 'e',
		label: '(e) programmatic floor: execute(), one parameter read per value',
		send: async (t, items) =>
			await runInEngine({ type: PROGRAMMATIC_FLOOR_NODE_TYPE, parameters: floorParameters(), items, credentials: cred(t), mock: t.mock }),
	},
	{ key: 'c', label: '(c) HTTP Request node', send: httpRequestCreate },
];

export interface EngineCounts {
	expressions: number;
	displayChecks: number;
	parameterReads: number;
	topLevelProperties: number;
}

/** Counts the engine's work per item by wrapping three n8n-workflow / n8n-core functions for one run. */
export async function countEngineWork(send: Send, t: Target, n: number): Promise<Omit<EngineCounts, 'topLevelProperties'>> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const core = require('n8n-core') as { ExecuteSingleContext: { prototype: object } };
	const contextProto = Object.getPrototypeOf(core.ExecuteSingleContext.prototype) as Record<string, unknown>;
	const exprProto = Expression.prototype as unknown as Record<string, unknown>;
	const helpers = NodeHelpers as unknown as Record<string, unknown>;
	const counts = { expressions: 0, displayChecks: 0, parameterReads: 0 };
	const wrap = (obj: Record<string, unknown>, name: string, key: keyof typeof counts) => {
		const original = obj[name] as (...args: unknown[]) => unknown;
		obj[name] = function (this: unknown, ...args: unknown[]) {
			counts[key]++;
			return original.apply(this, args);
		};
		return () => {
			obj[name] = original;
		};
	};
	const restore = [
		wrap(exprProto, 'resolveSimpleParameterValue', 'expressions'),
		wrap(helpers, 'displayParameter', 'displayChecks'),
		wrap(contextProto, '_getNodeParameter', 'parameterReads'),
	];
	try {
		await send(t, submissions(n));
	} finally {
		restore.forEach((r) => r());
	}
	return { expressions: counts.expressions / n, displayChecks: counts.displayChecks / n, parameterReads: counts.parameterReads / n };
}

const topLevel: Record<string, () => number> = {
	a: () => new Tracy().description.properties.length,
	aTrimmed: () => nodeTypes.getByNameAndVersion(TRIMMED).description.properties.length,
	aOnePerName: () => nodeTypes.getByNameAndVersion(ONE_PER_NAME).description.properties.length,
	aIdentical: () => nodeTypes.getByNameAndVersion(IDENTICAL_MERGED).description.properties.length,
	d: () => nodeTypes.getByNameAndVersion(FLOOR_NODE_TYPE).description.properties.length,
	dHidden: () => nodeTypes.getByNameAndVersion(FLOOR_HIDDEN).description.properties.length,
	e: () => nodeTypes.getByNameAndVersion(PROGRAMMATIC_FLOOR_NODE_TYPE).description.properties.length,
	c: () => NaN,
};

/** One timed run measured as the client process's CPU time (user + system) per item. */
async function cpuPerItem(send: Send, t: Target, items: ReturnType<typeof submissions>): Promise<number> {
	(globalThis as { gc?: () => void }).gc?.();
	const before = process.cpuUsage();
	const result = await send(t, items);
	const used = process.cpuUsage(before);
	if (result.error || result.items.length !== items.length) throw new Error(`run failed: ${JSON.stringify(result.error)}`);
	return (used.user + used.system) / 1000 / items.length;
}

/**
 * Engine-only timings: requests are answered inside the engine (bench/engine.ts, mockHttp), so the
 * numbers are the engine's and the node's CPU time alone, without the network and without the emulator
 * competing for the second core. Variants are interleaved; CPU time is less disturbed by other
 * processes than wall time, and min is printed beside the median for that reason.
 */
export async function engineOnly(
	variants: Array<{ key: string; send: Send }>,
	repeat: number,
	n: number,
	onRun?: (r: number) => void,
): Promise<Record<string, number[]>> {
	const target: Target = { baseUrl: 'http://127.0.0.1:9', apiKey: 'not-sent', mock: true };
	const items = submissions(n);
	const times: Record<string, number[]> = {};
	for (const v of variants) await v.send(target, items); // warm-up
	for (let r = 0; r < repeat; r++) {
		for (const v of variants) (times[v.key] ??= []).push(await cpuPerItem(v.send, target, items));
		onRun?.(r);
	}
	return times;
}

export async function runExperiments(repeat: number, n: number, say: (s?: string) => void) {
	const loaded = httpRequestNode();
	const variants = EXPERIMENT_VARIANTS.filter((v) => v.key !== 'c' || 'nodeType' in loaded);
	const reference = await captureRequests(tracyCreate);
	const same: Record<string, string> = {};
	for (const v of variants) {
		const diff = sameRequests(reference, await captureRequests(v.send));
		same[v.key] = diff ? `DIFFERENT: ${diff}` : 'same';
	}
	const mocked: Target = { baseUrl: 'http://127.0.0.1:9', apiKey: 'not-sent', mock: true };
	const counts: Record<string, Omit<EngineCounts, 'topLevelProperties'>> = {};
	for (const v of variants) counts[v.key] = await countEngineWork(v.send, mocked, 100);
	const times = await engineOnly(variants, repeat, n, (r) => process.stderr.write(`[bench] experiments: run ${r + 1}/${repeat}\n`));
	const d = spread(times.d).median;
	say(`\n## Where (a) spends beyond the floor: ${n} Lead → Create items, requests answered inside the engine, ${repeat} runs\n`);
	say(
		table(
			['variant', 'top-level properties', 'expression evaluations / item', 'display checks / item', 'parameter reads / item', 'engine CPU ms per item, median (min–max)', 'this / d', 'requests'],
			variants.map((v) => {
				const s = spread(times[v.key]);
				const c = counts[v.key];
				const props = topLevel[v.key]?.() ?? NaN;
				return [v.label, Number.isNaN(props) ? '–' : props, c.expressions.toFixed(0), c.displayChecks.toFixed(0), c.parameterReads.toFixed(0), showSpread(s), (s.median / d).toFixed(2), same[v.key]];
			}),
			['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
		),
	);
	say(
		'\nCounts are per item, from wrapping n8n-workflow\'s Expression.resolveSimpleParameterValue and NodeHelpers.displayParameter and n8n-core\'s _getNodeParameter for one run of 100 items. "requests": the variant sent the same requests as (a) to a logging emulator (method, path, key, body).',
	);
}
