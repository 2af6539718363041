/**
 * Where (a) spends beyond the floor (d), by experiment rather than by profile alone:
 *   - the engine's work per item, counted: expression evaluations, display-option checks, parameter reads;
 *   - the Tracy node with its description reshaped (see reshapedTracy): the difference to (a) is what the
 *     size and the duplicate names of the description cost, since RoutingNode walks every top-level
 *     property twice per item, shown or not, and resolves the value of every copy whose name is set;
 *   - (a) with constant Lead Fields: the same work without the six field expressions;
 *   - (a') Record → Create sending the same body, whose Property Values has a hidden twin (Update's);
 *   - (d) with K extra properties that are never shown: the same cost on the floor;
 *   - (e): a programmatic node (execute()) sending the same request, the floor of that style.
 *
 *   npm run bench -- --experiments [--repeat R] [--items N]
 */
import type {
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { Expression, NodeHelpers } from 'n8n-workflow';

import { Tracy } from '../nodes/Tracy/Tracy.node';
import { makeNode, nodeTypes, runInEngine } from './engine';
import { recordCreate, submissions, webFormLead } from './fixtures';
import { FLOOR_NODE_TYPE, FloorLeadCreate, floorParameters } from './floor-node';
import {
	PROGRAMMATIC_FLOOR_NODE_TYPE,
	ProgrammaticFloorLeadCreate,
} from './programmatic-floor-node';
import { showSpread, spread, table } from './stats';
import type { Target, VariantResult } from './variants';
import {
	floorCreate,
	httpRequestCreate,
	httpRequestNode,
	TRACY_NODE_TYPE,
	tracyCreate,
} from './variants';
import { captureRequests, sameRequests } from './verify';

type Reshape = 'trimmed' | 'identical' | 'onePerName';

/**
 * The Tracy node with its description reshaped for one set of parameters (same hooks, same routing):
 *   trimmed     only the top-level properties these parameters show;
 *   identical   copies that are identical but for their displayOptions (`simplify` ×10, `returnAll`,
 *               `limit`, `sort` ×2) kept once: the mechanical part of merging;
 *   onePerName  one top-level property per name (`dataset` ×7, `recordId` ×9, `propertyValues` ×2, ...):
 *               what merging every name's copies into one definition saves.
 * Where copies are dropped, the one these parameters show is kept (else the first).
 */
function reshapedTracy(parameters: INodeParameters, reshape: Reshape): INodeType {
	const tracy = new Tracy();
	const probe = makeNode({ type: TRACY_NODE_TYPE, parameters, credentials: { tracyApi: {} } });
	const shown = (p: INodeProperties) =>
		NodeHelpers.displayParameter(probe.parameters, p, probe, tracy.description, probe.parameters);
	let properties = tracy.description.properties;
	if (reshape === 'trimmed') {
		properties = properties.filter(shown);
	} else {
		const key = (p: INodeProperties) =>
			reshape === 'onePerName' ? p.name : JSON.stringify({ ...p, displayOptions: undefined });
		const kept = new Map<string, INodeProperties>();
		for (const p of properties) {
			const current = kept.get(key(p));
			if (!current || (!shown(current) && shown(p))) kept.set(key(p), p);
		}
		properties = properties.filter((p) => kept.get(key(p)) === p);
	}
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
	const description: INodeTypeDescription = {
		...floor.description,
		properties: [...floor.description.properties, ...hidden],
	};
	return { description };
}

const HIDDEN = 50;
const FLOOR_HIDDEN = 'bench.floorHidden';
nodeTypes.register(PROGRAMMATIC_FLOOR_NODE_TYPE, new ProgrammaticFloorLeadCreate());
nodeTypes.load(FLOOR_HIDDEN, floorWithHidden(HIDDEN));

const cred = (t: Target) => ({ tracyApi: { apiKey: t.apiKey, baseUrl: t.baseUrl } });

type Send = (t: Target, items: ReturnType<typeof submissions>) => Promise<VariantResult>;

/** A variant running a registered node type on the submissions. */
function engineVariant(type: string, parameters: () => INodeParameters): Send {
	return async (t, items) =>
		await runInEngine({
			type,
			parameters: parameters(),
			items,
			credentials: cred(t),
			mock: t.mock,
		});
}

/** A Tracy node with a reshaped description, registered under its own type name. */
function reshaped(parameters: () => INodeParameters, reshape: Reshape, tag: string): Send {
	const type = `bench.tracy.${tag}.${reshape}`;
	nodeTypes.load(type, reshapedTracy(parameters(), reshape));
	return engineVariant(type, parameters);
}

/** Lead → Create with constant Lead Fields: no expression to evaluate, what reading the lead from the input item would cost. */
const constantLead = () =>
	webFormLead(
		{},
		{
			name: 'Ada',
			email: 'ada@example.com',
			phone: '+1 555 0000000',
			message: 'Hello',
			utmSource: 'google',
			utmCampaign: 'campaign-0',
		},
	);

export const EXPERIMENT_VARIANTS: Array<{
	key: string;
	label: string;
	send: Send;
	constantValues?: boolean;
}> = [
	{ key: 'a', label: '(a) Tracy node, Lead → Create', send: tracyCreate },
	{
		key: 'aIdentical',
		label: '(a) with identical copies merged',
		send: reshaped(webFormLead, 'identical', 'lead'),
	},
	{
		key: 'aOnePerName',
		label: '(a) with one top-level property per name',
		send: reshaped(webFormLead, 'onePerName', 'lead'),
	},
	{
		key: 'aTrimmed',
		label: '(a) with only the properties Lead → Create shows',
		send: reshaped(webFormLead, 'trimmed', 'lead'),
	},
	{
		key: 'aConstant',
		label: '(a) with constant Lead Fields: no expression per field',
		send: engineVariant(TRACY_NODE_TYPE, constantLead),
		constantValues: true,
	},
	{
		key: 'r',
		label: "(a') Tracy node, Record → Create, the same six values under Property Values",
		send: engineVariant(TRACY_NODE_TYPE, recordCreate),
	},
	{
		key: 'rOnePerName',
		label: "(a') with one top-level property per name",
		send: reshaped(recordCreate, 'onePerName', 'record'),
	},
	{ key: 'd', label: '(d) floor', send: floorCreate },
	{
		key: 'dHidden',
		label: `(d) with ${HIDDEN} more properties, never shown`,
		send: engineVariant(FLOOR_HIDDEN, floorParameters),
	},
	{
		key: 'e',
		label: '(e) programmatic floor: execute(), one parameter read per value',
		send: engineVariant(PROGRAMMATIC_FLOOR_NODE_TYPE, floorParameters),
	},
	{ key: 'c', label: '(c) HTTP Request node', send: httpRequestCreate },
];

/** Top-level properties of the node type a variant runs. */
function topLevelProperties(key: string): number {
	const type: Record<string, string> = {
		a: TRACY_NODE_TYPE,
		aConstant: TRACY_NODE_TYPE,
		r: TRACY_NODE_TYPE,
		aIdentical: 'bench.tracy.lead.identical',
		aOnePerName: 'bench.tracy.lead.onePerName',
		aTrimmed: 'bench.tracy.lead.trimmed',
		rOnePerName: 'bench.tracy.record.onePerName',
		d: FLOOR_NODE_TYPE,
		dHidden: FLOOR_HIDDEN,
		e: PROGRAMMATIC_FLOOR_NODE_TYPE,
	};
	return type[key] ? nodeTypes.getByNameAndVersion(type[key]).description.properties.length : NaN;
}

export interface EngineCounts {
	expressions: number;
	displayChecks: number;
	parameterReads: number;
	topLevelProperties: number;
}

/** Counts the engine's work per item by wrapping three n8n-workflow / n8n-core functions for one run. */
export async function countEngineWork(
	send: Send,
	t: Target,
	n: number,
): Promise<Omit<EngineCounts, 'topLevelProperties'>> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const core = require('n8n-core') as { ExecuteSingleContext: { prototype: object } };
	const contextProto = Object.getPrototypeOf(core.ExecuteSingleContext.prototype) as Record<
		string,
		unknown
	>;
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
	return {
		expressions: counts.expressions / n,
		displayChecks: counts.displayChecks / n,
		parameterReads: counts.parameterReads / n,
	};
}

/** One timed run measured as the client process's CPU time (user + system) per item. */
async function cpuPerItem(
	send: Send,
	t: Target,
	items: ReturnType<typeof submissions>,
): Promise<number> {
	(globalThis as { gc?: () => void }).gc?.();
	const before = process.cpuUsage();
	const result = await send(t, items);
	const used = process.cpuUsage(before);
	if (result.error || result.items.length !== items.length)
		throw new Error(`run failed: ${JSON.stringify(result.error)}`);
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
		if (v.constantValues) {
			same[v.key] = 'same but for the values';
			continue;
		}
		const diff = sameRequests(reference, await captureRequests(v.send));
		same[v.key] = diff ? `DIFFERENT: ${diff}` : 'same';
	}
	const mocked: Target = { baseUrl: 'http://127.0.0.1:9', apiKey: 'not-sent', mock: true };
	const counts: Record<string, Omit<EngineCounts, 'topLevelProperties'>> = {};
	for (const v of variants) counts[v.key] = await countEngineWork(v.send, mocked, 100);
	const times = await engineOnly(variants, repeat, n, (r) =>
		process.stderr.write(`[bench] experiments: run ${r + 1}/${repeat}\n`),
	);
	const d = spread(times.d);
	say(
		`\n## Where (a) spends beyond the floor: ${n} Lead → Create items, requests answered inside the engine, ${repeat} runs\n`,
	);
	say(
		table(
			[
				'variant',
				'top-level properties',
				'expression evaluations / item',
				'display checks / item',
				'parameter reads / item',
				'engine CPU ms per item, median (min–max)',
				'this / d, medians',
				'this / d, minima',
				'requests',
			],
			variants.map((v) => {
				const s = spread(times[v.key]);
				const c = counts[v.key];
				const props = topLevelProperties(v.key);
				return [
					v.label,
					Number.isNaN(props) ? '–' : props,
					c.expressions.toFixed(0),
					c.displayChecks.toFixed(0),
					c.parameterReads.toFixed(0),
					showSpread(s),
					(s.median / d.median).toFixed(2),
					(s.min / d.min).toFixed(2),
					same[v.key],
				];
			}),
			['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
		),
	);
	say(
		'\nThe minimum is the run least disturbed by other processes on the machine, so its ratio is the steadier one when the machine is shared. Counts are per item, from wrapping n8n-workflow\'s Expression.resolveSimpleParameterValue and NodeHelpers.displayParameter and n8n-core\'s _getNodeParameter for one run of 100 items. "requests": the variant sent the same requests as (a) to a logging emulator (method, path, key, body).',
	);
}
