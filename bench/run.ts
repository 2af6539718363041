/**
 * `npm run bench`: requests, time per item and memory of the Tracy node, side by side with a raw
 * `fetch` loop, n8n's HTTP Request node and a minimal declarative node, all against the Tracy
 * emulator on 127.0.0.1 (in a child process of its own). Prints Markdown tables; see BENCHMARKS.md.
 *
 *   --repeat R        timed runs per case and variant (default 5); the median and min–max are printed
 *   --items N         Lead → Create items (default 1000)
 *   --records M[,M…]  extra records seeded for Get Many (default 1000,5000,10000: flatness is read across sizes)
 *   --delay MS        emulator answer delay for cases 3 and 6 (default 20)
 *   --batches B[,B…]  Items per Batch for case 3 (default 10,100; an unbatched run is always added)
 *   --interval MS     Batch Interval for case 3 (default: the delay)
 *   --cases 1,…,7     which cases (default all); BENCH_ONLY=d,m,... limits case 5 to those variants
 *   --import N        case 6: lead creates of the big import (default 10000)
 *   --rate R          case 6: the emulator's rate limit in requests a second (default 100; 0 skips the import)
 *   --companies C     case 7: companies the leads name, half of them existing (default 50)
 *   --out FILE        also write the report to FILE
 *
 * BENCH_NO_INSTALL=1 keeps the benchmark from installing n8n-nodes-base when no n8n install is found:
 * variant (c) is then reported unavailable.
 */
import './env';

import { execFileSync, execSync, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_MAX_IN_FLIGHT } from '../nodes/Tracy/transport/inFlight';
import type { EmulatorProcess } from './emulator-process';
import { startEmulatorProcess } from './emulator-process';
import type { EmulatorOptions } from '../test/emulator/server';
import { DATUM_FIELDS, recordCreate, rl, submissions, webFormLead } from './fixtures';
import { HTTP_REQUEST_VERSION } from './http-request-node';
import type { Spread } from './stats';
import { fixed, mb, showSpread, spread, table } from './stats';
import type { Send, Target, VariantResult } from './variants';
import {
	captureRequests,
	floorCreate,
	httpRequestCreate,
	httpRequestNode,
	rawCreateConcurrent,
	rawCreateSerial,
	rawGetAll,
	sameRequests,
	tracy,
	tracyCreate,
	tracyGetAll,
	tracySubmissionCreate,
} from './variants';

const repoRoot = join(__dirname, '..', '..');
const arg = (name: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? undefined : process.argv[i + 1];
};
const num = (name: string, d: number) => Number(arg(name) ?? d);
const list = (name: string, d: number[]) => arg(name)?.split(',').map(Number) ?? d;
const options = {
	repeat: num('repeat', 5),
	items: num('items', 1000),
	records: list('records', [1000, 5000, 10_000]),
	delay: num('delay', 20),
	batches: list('batches', [10, 100]),
	interval: num('interval', num('delay', 20)),
	cases: list('cases', [1, 2, 3, 4, 5, 6, 7]),
	import: num('import', 10_000),
	rate: num('rate', 100),
	companies: num('companies', 50),
	out: arg('out'),
};

const report: string[] = [];
const say = (text = '') => {
	console.log(text);
	report.push(text);
};
const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const sayTable = (header: string, rows: Array<Array<string | number>>, align: string) =>
	say(table(header, rows, align));
const gc = () => (globalThis as { gc?: () => void }).gc?.();

interface Variant {
	key: string;
	label: string;
	send: Send;
	unavailable?: string;
}
type Samples = Record<string, Record<string, number[]>>;

/** One run after a full GC: its wall and CPU milliseconds; fails unless it output `expect` items. */
async function timeOnce(run: () => Promise<VariantResult>, expect?: number) {
	gc();
	const start = performance.now();
	const cpu = process.cpuUsage();
	const result = await run();
	const used = process.cpuUsage(cpu);
	const ms = performance.now() - start;
	if (result.error) throw new Error(`run failed: ${JSON.stringify(result.error).slice(0, 500)}`);
	if (expect !== undefined && result.items.length !== expect)
		throw new Error(`${result.items.length} items out of ${expect}`);
	return { ms, cpuMs: (used.user + used.system) / 1000, result };
}

/** `repeat` rounds over the variants, interleaved so that a slow stretch of the machine falls on all. */
async function rounds<V extends { key: string }>(
	variants: V[],
	measure: (v: V) => Promise<Record<string, number>>,
	label: string,
	repeat = options.repeat,
): Promise<Samples> {
	const samples: Samples = {};
	for (let r = 0; r < repeat; r++) {
		for (const v of variants)
			for (const [name, value] of Object.entries(await measure(v)))
				((samples[v.key] ??= {})[name] ??= []).push(value);
		progress(`${label}: run ${r + 1}/${repeat}`);
	}
	return samples;
}

/** Runs `fn` against the emulator in a process of its own, with one of its keys; stops it after. */
async function withEmulator<T>(
	settings: EmulatorOptions,
	key: Parameters<EmulatorProcess['keyFor']>[0],
	fn: (emulator: EmulatorProcess, target: Target) => Promise<T>,
): Promise<T> {
	const emulator = await startEmulatorProcess({ noLog: true, ...settings });
	try {
		return await fn(emulator, { baseUrl: emulator.url, apiKey: emulator.keyFor(key) });
	} finally {
		await emulator.stop();
	}
}

const counts = (values: number[]) =>
	values.every((x) => x === values[0])
		? String(values[0])
		: `${Math.min(...values)}–${Math.max(...values)}`;
const ratio = (x?: Spread, y?: Spread, k: 'median' | 'min' = 'median') =>
	x && y ? fixed(x[k] / y[k]) : 'n/a';

function environment() {
	let commit = 'unknown';
	try {
		commit = execSync('git rev-parse --short HEAD', { cwd: repoRoot }).toString().trim();
		if (execSync('git status --porcelain -- nodes credentials', { cwd: repoRoot }).length)
			commit += ' (nodes/ or credentials/ modified)';
	} catch {
		// not a git checkout
	}
	const version = (name: string) =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		(require(`${name}/package.json`) as { version: string }).version;
	const cpu = cpus();
	return `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${mb(totalmem())} RAM, commit ${commit}, n8n-core ${version('n8n-core')}, n8n-workflow ${version('n8n-workflow')}`;
}

// ---------------------------------------------------------------------------------------------- case 1

async function case1(variants: Variant[]) {
	const N = options.items;
	say(`\n## 1. Lead → Create, ${N} items\n`);
	const live = variants.filter((v) => !v.unavailable);
	const reference = await captureRequests(tracyCreate);
	const same: Record<string, string> = {};
	for (const v of live) {
		const diff = sameRequests(reference, await captureRequests(v.send));
		same[v.key] = diff ? `differs: ${diff}` : 'same as (a)';
	}
	const items = submissions(N);
	const s = await withEmulator({}, 'webform', async (emulator, target) => {
		for (const v of live) await v.send(target, items); // warm-up
		return await rounds(
			live,
			async (v) => {
				await emulator.reset();
				const { ms, cpuMs } = await timeOnce(() => v.send(target, items), N);
				return { wall: ms / N, cpu: cpuMs / N, requests: (await emulator.stats()).count };
			},
			'case 1',
		);
	});
	const wall = (k: string) => (s[k] ? spread(s[k].wall) : undefined);
	sayTable(
		'variant | requests sent | wall ms per item, median (min–max) | client CPU ms per item | a / this (wall) | requests',
		variants.map((v) =>
			v.unavailable
				? [v.label, 'n/a', 'n/a', 'n/a', 'n/a', `unavailable: ${v.unavailable}`]
				: [
						v.label,
						`${counts(s[v.key].requests)} (min ${N})`,
						showSpread(wall(v.key)!),
						showSpread(spread(s[v.key].cpu)),
						ratio(wall('a'), wall(v.key)),
						same[v.key],
					],
		),
		'lrrrrl',
	);
	say(
		`\n${options.repeat} timed runs each after one warm-up run, variants interleaved. Wall ms per item = wall time of the whole run / ${N}; client CPU = CPU time of the benchmark process (the emulator runs in another). "requests": a few submissions sent by each variant to a logging emulator, compared with (a)'s (method, path, key, body).`,
	);

	// the same, with requests answered inside the engine: the engine's and the node's own CPU time
	const mocked: Target = { baseUrl: 'http://127.0.0.1:9', apiKey: 'not-sent', mock: true };
	const inEngine = live.filter((v) => ['a', 'a2', 'c', 'd'].includes(v.key));
	for (const v of inEngine) await v.send(mocked, items); // warm-up
	const e = await rounds(
		inEngine,
		async (v) => ({ cpu: (await timeOnce(() => v.send(mocked, items), N)).cpuMs / N }),
		'case 1, engine only',
	);
	const cpu = (k: string) => (e[k] ? spread(e[k].cpu) : undefined);
	say(
		`\nThe same ${N} items with every request answered inside the engine (n8n-core's evaluation mock seam), so that only the engine's and the node's work is timed:\n`,
	);
	sayTable(
		'variant | engine CPU ms per item, median (min–max) | a / this | this / d, medians (minima)',
		inEngine.map((v) => [
			v.label,
			showSpread(cpu(v.key)!),
			ratio(cpu('a'), cpu(v.key)),
			`${ratio(cpu(v.key), cpu('d'))} (${ratio(cpu(v.key), cpu('d'), 'min')})`,
		]),
		'lrrr',
	);
	say(
		`\nRatios of medians, wall time over HTTP: a/b = ${ratio(wall('a'), wall('b'))}, a/c = ${ratio(wall('a'), wall('c'))}, a/d = ${ratio(wall('a'), wall('d'))}; engine only: a/c = ${ratio(cpu('a'), cpu('c'))}, a/d = ${ratio(cpu('a'), cpu('d'))} (goal: a/d ≤ 1.1).`,
	);
	say(
		`\nFrom the Submission (a2): wall time over HTTP a2/c = ${ratio(wall('a2'), wall('c'))} by medians, ${ratio(wall('a2'), wall('c'), 'min')} by minima (goal ≤ 1.6); engine only a2/d = ${ratio(cpu('a2'), cpu('d'))} by medians, ${ratio(cpu('a2'), cpu('d'), 'min')} by minima (goal ≤ 0.65).`,
	);
}

// ---------------------------------------------------------------------------------------------- case 2

interface Memory {
	/** Above the baseline after a full GC: the output as JSON, the heap it keeps (after a full GC). */
	outputBytes: number;
	retainedHeap: number;
	/** Peak heap and RSS, garbage included, sampled every 2 ms ('plain' runs). */
	peakHeap: number;
	peakRss: number;
	/** Peak live heap: a full GC before each sample, every 5 ms ('live' runs). */
	peakLive: number;
}

/** One Get Many run in a fresh process, so that its heap and RSS start from the same place every time. */
const memoryInChild = (variant: string, target: Target, mode: 'plain' | 'live') =>
	new Promise<Memory>((resolve, reject) => {
		const args = ['--memory-child', variant, target.baseUrl, target.apiKey, mode];
		const child = fork(__filename, args, {
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		child.once('message', (m: Memory | { error: string }) =>
			'error' in m ? reject(new Error(m.error)) : resolve(m),
		);
		child.once('error', reject);
	});

async function memoryChild() {
	const [, variant, baseUrl, apiKey, mode] = process.argv.slice(
		process.argv.indexOf('--memory-child'),
	);
	const target = { baseUrl, apiKey };
	const run = variant === 'a' ? tracyGetAll : rawGetAll;
	try {
		// warm-up on one record: code loaded and compiled before the baseline
		await (variant === 'a'
			? tracyGetAll(target, { returnAll: false, limit: 1 })
			: rawGetAll(target, 1));
		gc();
		gc();
		const base = process.memoryUsage();
		let [peakHeap, peakLive, peakRss] = [base.heapUsed, base.heapUsed, base.rss];
		const sample = () => {
			if (mode === 'live') gc();
			const m = process.memoryUsage();
			if (mode === 'live') peakLive = Math.max(peakLive, m.heapUsed);
			peakHeap = Math.max(peakHeap, m.heapUsed);
			peakRss = Math.max(peakRss, m.rss);
		};
		const timer = setInterval(sample, mode === 'live' ? 5 : 2);
		const result = await run(target);
		clearInterval(timer);
		sample();
		if (result.error) throw new Error(JSON.stringify(result.error));
		gc();
		gc();
		const retainedHeap = process.memoryUsage().heapUsed - base.heapUsed; // before the JSON below
		const json = (result.items as Array<IDataObject & { json?: IDataObject }>).map((i) =>
			variant === 'a' ? i.json : i,
		);
		process.send!({
			outputBytes: Buffer.byteLength(JSON.stringify(json)),
			retainedHeap,
			peakHeap: peakHeap - base.heapUsed,
			peakRss: peakRss - base.rss,
			peakLive: peakLive - base.heapUsed,
		} satisfies Memory);
	} catch (error) {
		process.send!({ error: String(error) });
	}
	process.exit(0);
}

async function case2() {
	say(`\n## 2. Record → Get Many, Return All\n`);
	const rows: Array<Array<string | number>> = [];
	const memRows: Array<Array<string | number>> = [];
	const memRuns = Math.min(options.repeat, 3);
	for (const extra of options.records) {
		await withEmulator({ extraLeads: extra }, 'owner', async (emulator, target) => {
			const variants = [
				{ key: 'a', label: '(a) Tracy node', run: () => tracyGetAll(target) },
				{ key: 'b', label: '(b) raw fetch loop', run: () => rawGetAll(target) },
			];
			for (const v of variants) await v.run(); // warm-up
			let n = 0;
			const s = await rounds(
				variants,
				async (v) => {
					await emulator.reset();
					const { ms, result } = await timeOnce(v.run);
					n = result.items.length;
					return { ms, requests: (await emulator.stats()).count };
				},
				`case 2, ${extra} extra records`,
			);
			for (const v of variants) {
				const t = spread(s[v.key].ms);
				const pages = `${counts(s[v.key].requests)} (ceil(N/100) = ${Math.ceil(n / 100)})`;
				const aOverB = v.key === 'a' ? ratio(t, spread(s.b.ms)) : '';
				rows.push([n, v.label, pages, showSpread(t, 0), fixed((1000 * t.median) / n, 1), aOverB]);
				// memory: fresh processes, fewer runs (each one starts a process)
				const [plain, live]: Memory[][] = [[], []];
				for (let r = 0; r < memRuns; r++) {
					plain.push(await memoryInChild(v.key, target, 'plain'));
					live.push(await memoryInChild(v.key, target, 'live'));
				}
				const m = (runs: Memory[], f: (x: Memory) => number) => spread(runs.map(f)).median;
				const kept = ['outputBytes', 'retainedHeap', 'peakHeap', 'peakRss'] as const;
				const overOutput = m(live, (x) => x.peakLive - x.retainedHeap) / 1024;
				memRows.push([
					n,
					v.label,
					...kept.map((k) => mb(m(plain, (x) => x[k]))),
					mb(m(live, (x) => x.peakLive)),
					`${fixed(overOutput, 0)} kB`,
				]);
			}
		});
	}
	sayTable(
		'N records | variant | requests sent | wall ms, median (min–max) | µs per record | a / b',
		rows,
		'rlrrrr',
	);
	say(
		`\n${options.repeat} timed runs each after one warm-up run. The emulator answers 100 records a page (MAX_PAGE_SIZE).\n`,
	);
	sayTable(
		'N records | variant | output as JSON | heap kept by the output | peak heap | peak RSS | peak live heap | live peak − output',
		memRows,
		'rlrrrrrr',
	);
	say(
		`\nMedians of ${memRuns} runs of each kind, each in a fresh process after a warm-up Get Many of one record, above the process's baseline after a full GC. "peak heap" and "peak RSS" are sampled every 2 ms with GC left to V8 (garbage included); "peak live heap" comes from a separate run with a full GC before each sample. Memory is flat in N when "live peak − output" stays put as N grows.`,
	);
}

// ---------------------------------------------------------------------------------------------- case 3

async function case3(variants: Variant[]) {
	const [N, delay, interval] = [options.items, options.delay, options.interval];
	say(`\n## 3. Lead → Create, ${N} items, the emulator answering after ${delay} ms\n`);
	const items = submissions(N);
	const configs = [
		{ label: 'no batching (all items at once)', batching: undefined, bound: delay },
		...options.batches.map((b) => ({
			label: `Batching: ${b} items per batch, ${interval} ms interval`,
			batching: { batchSize: b, batchInterval: interval },
			bound: (Math.ceil(N / b) - 1) * interval + delay,
		})),
	];
	const serialBound = N * delay;
	const row = (config: string, label: string, ms: number[], bound: number) => {
		const s = spread(ms.map((x) => x / N));
		return [config, label, showSpread(s), fixed(s.median / delay), fixed((s.median * N) / bound)];
	};
	const rows: Array<Array<string | number>> = [];
	await withEmulator({ delayMs: delay }, 'webform', async (emulator, target) => {
		const inEngine = variants.filter((v) => ['a', 'c', 'd'].includes(v.key) && !v.unavailable);
		for (const v of inEngine) await v.send(target, items.slice(0, 100)); // warm-up
		for (const config of configs) {
			const s = await rounds(
				inEngine,
				async (v) => {
					await emulator.reset();
					const { ms } = await timeOnce(() => v.send(target, items, config.batching), N);
					const sent = (await emulator.stats()).count;
					if (sent !== N) throw new Error(`${v.key}: ${sent} requests for ${N}`);
					return { ms };
				},
				`case 3, ${config.label}`,
			);
			for (const v of inEngine)
				rows.push([
					...row(config.label, v.label, s[v.key].ms, config.bound),
					fixed(config.bound / N, 3),
				]);
		}
		const raw = await rounds(
			[{ key: 'b' }],
			async () => ({ ms: (await timeOnce(() => rawCreateConcurrent(target, items), N)).ms }),
			'case 3, raw fetch',
		);
		rows.push([
			...row('no batching', '(b) raw fetch, all at once', raw.b.ms, delay),
			fixed(delay / N, 3),
		]);
	});
	sayTable(
		'configuration | variant | ms per item, median (min–max) | time / serial bound | time / concurrent bound | concurrent bound, ms per item',
		rows,
		'llrrrr',
	);
	say(
		`\nSerial bound: N × delay = ${serialBound} ms, one request at a time. Concurrent bound: the delay once for all items at once; with Batching, (ceil(N / batch size) − 1) × interval + delay. A ratio near 1 to the concurrent bound means the engine hides the latency; above it, the engine's own per-item work is what counts.`,
	);
}

// ---------------------------------------------------------------------------------------------- case 4

const loadTimes = () =>
	new Promise<{ workflow: number; require: number; instantiate: number }>((resolve, reject) => {
		const child = fork(join(__dirname, 'load-time.js'), [], {
			execArgv: [],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		child.once('message', resolve);
		child.once('error', reject);
	});

async function case4() {
	say('\n## 4. Package\n');
	const npmPack = ['pack', '--dry-run', '--json', '--ignore-scripts'];
	const [pack] = JSON.parse(execFileSync('npm', npmPack, { cwd: repoRoot }).toString()) as Array<{
		size: number;
		unpackedSize: number;
		entryCount: number;
	}>;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const pkg = require(join(repoRoot, 'package.json')) as {
		dependencies?: object;
		peerDependencies?: object;
	};
	const runs: Array<Awaited<ReturnType<typeof loadTimes>>> = [];
	for (let r = 0; r < Math.max(options.repeat, 5); r++) runs.push(await loadTimes());
	const time = (k: 'workflow' | 'require' | 'instantiate', digits: number) =>
		`${showSpread(spread(runs.map((x) => x[k])), digits)} ms`;
	const peers = Object.keys(pkg.peerDependencies ?? {}).join(', ') || 'none';
	sayTable(
		'measure | value',
		[
			[
				'tarball (`npm pack`)',
				`${fixed(pack.size / 1024, 1)} kB packed, ${fixed(pack.unpackedSize / 1024, 1)} kB unpacked, ${pack.entryCount} files`,
			],
			[
				'runtime dependencies',
				`${Object.keys(pkg.dependencies ?? {}).length} (peer: ${peers}, provided by n8n)`,
			],
			[
				'load node + credential modules (n8n-workflow already loaded, as in n8n)',
				time('require', 1),
			],
			[
				'construct `new Tracy()` + `new TracyApi()` (builds the description)',
				time('instantiate', 1),
			],
			['for scale: loading n8n-workflow itself', time('workflow', 0)],
		],
		'lr',
	);
	say(`\nLoad times: ${runs.length} fresh processes, median (min–max), from the built dist/.`);
}

// ---------------------------------------------------------------------------------------------- case 5

async function case5() {
	const N = Math.min(options.items, 500);
	say(`\n## 5. Column mapper and Create or Update, ${N} items\n`);
	const value = Object.fromEntries(
		DATUM_FIELDS.map(({ property, field }) => [String(property), `={{ $json.${field} }}`]),
	);
	const columns = (matchingColumns: string[]) => ({
		...{ mappingMode: 'defineBelow', value, matchingColumns, schema: [] },
		...{ attemptToConvertTypes: false, convertFieldsToString: false },
	});
	const upsert = tracy({
		resource: 'lead',
		operation: 'upsert',
		dataset: rl(1),
		upsertColumns: columns(['2']),
	});
	const mapped = tracy({
		resource: 'record',
		operation: 'create',
		dataset: rl(1),
		columns: columns([]),
	});
	// [key, label, send]; each run of a variant sends new emails, but u2 sends u's items again
	const all: Array<[string, string, Send]> = [
		['d', '(d) floor: minimal declarative node', floorCreate],
		['l', 'Lead → Create, six fields (one POST, no read)', tracyCreate],
		['r', 'Record → Create, six Property Values rows', tracy(recordCreate())],
		['m', 'Record → Create, six mapped columns (column mapper)', mapped],
		['u', 'Lead → Create or Update on Email, new emails (list + create)', upsert],
		['u2', 'Lead → Create or Update, the same items again (list, nothing changed)', upsert],
	];
	const only = process.env.BENCH_ONLY?.split(',');
	const variants = all
		.map(([key, label, send]) => ({ key, label, send }))
		.filter((v) => !only || only.includes(v.key));
	const routes: Record<string, Record<string, number>> = {};
	let [round, last] = [0, [] as IDataObject[]];
	const s = await withEmulator(
		{},
		'sales',
		async (emulator, target) =>
			await rounds(
				variants,
				async (v) => {
					if (v.key !== 'u2')
						last = submissions(N).map((item) => ({
							...item,
							email: `r${++round}.${String(item.email)}`,
						}));
					await emulator.reset();
					const { ms } = await timeOnce(() => v.send(target, last), N);
					routes[v.key] = (await emulator.stats()).routes;
					return { ms: ms / N };
				},
				'case 5',
			),
	);
	const ms = (k: string) => (s[k] ? spread(s[k].ms) : undefined);
	const perItem = (k: string) =>
		Object.entries(routes[k] ?? {})
			.map(([route, n]) => (n % N === 0 ? `${route} ×${n / N}` : `${route}: ${n} in all`))
			.join(', ');
	sayTable(
		'variant | ms per item, median (min–max) | x floor (medians) | requests (last run), per item unless said',
		variants.map((v) => [
			v.label,
			showSpread(ms(v.key)!),
			ratio(ms(v.key), ms('d')),
			perItem(v.key),
		]),
		'lrrl',
	);
	if (ms('m') && ms('d'))
		say(
			`\nGoal: the mapper (m) at most 1.3× the floor (d): m/d = ${ratio(ms('m'), ms('d'))} by medians, ${ratio(ms('m'), ms('d'), 'min')} by minima.`,
		);
}

// ---------------------------------------------------------------------------------------------- case 6

async function case6() {
	say(`\n## 6. Big imports: the bound on requests in flight\n`);
	const bound = (maxInFlight?: number) =>
		tracy(webFormLead(maxInFlight === undefined ? {} : { requestOptions: { maxInFlight } }));

	// (a) a calm Tracy: what the bound costs against sending everything at once (1000 in flight = no bound)
	const N = options.items;
	const calm = [
		{
			key: 'default',
			label: `Max Requests in Flight ${DEFAULT_MAX_IN_FLIGHT} (default)`,
			send: bound(),
		},
		...[10, 4].map((n) => ({
			key: String(n),
			label: `Max Requests in Flight ${n}`,
			send: bound(n),
		})),
		{ key: 'all', label: 'no bound (1000: every item at once)', send: bound(1000) },
	];
	const rows: Array<Array<string | number>> = [];
	for (const delay of [0, options.delay]) {
		await withEmulator({ delayMs: delay || undefined }, 'webform', async (emulator, target) => {
			for (const v of calm) await v.send(target, submissions(50)); // warm-up
			const s = await rounds(
				calm,
				async (v) => {
					await emulator.reset();
					const { ms } = await timeOnce(() => v.send(target, submissions(N)), N);
					return { ms: ms / N, peak: (await emulator.stats()).peakInFlight };
				},
				`case 6, calm Tracy answering after ${delay} ms`,
			);
			for (const v of calm) {
				const t = spread(s[v.key].ms);
				const peak = Math.max(...s[v.key].peak);
				rows.push([`${delay} ms`, v.label, showSpread(t), ratio(t, spread(s.all.ms)), peak]);
			}
		});
	}
	say(`(a) Lead → Create, ${N} items, Tracy without a rate limit:\n`);
	sayTable(
		'Tracy answers after | Tracy node | wall ms per item, median (min–max) | this / no bound | peak in flight at Tracy',
		rows,
		'rlrrr',
	);

	// (b) a rate-limited Tracy: 429 with Retry-After above the rate, answers after the usual delay
	const [M, R] = [options.import, options.rate];
	if (!R) return;
	say(
		`\n(b) ${M} lead creates against a Tracy that takes ${R} requests a second (429 with Retry-After above it) and answers after ${options.delay} ms; ideal ${fixed(M / R, 0)} s. One run each; peak memory is the benchmark process's, above its start:\n`,
	);
	const loaded = httpRequestNode();
	const http = httpRequestCreate({ onError: 'continueRegularOutput' });
	const limited: Array<[string, Send]> = [['(a) Tracy node, no option set', bound()]];
	if ('nodeType' in loaded)
		limited.push(
			['(c) HTTP Request node, no Batching (Continue On Fail)', http],
			[
				`(c) HTTP Request node, Batching ${R} items per 1000 ms (Continue On Fail)`,
				async (t, items) => await http(t, items, { batchSize: R, batchInterval: 1000 }),
			],
		);
	else say(`(c) unavailable: ${loaded.unavailable}\n`);
	const limitedRows: Array<Array<string | number>> = [];
	const settings = { rateLimitPerSecond: R, delayMs: options.delay || undefined };
	for (const [label, send] of limited) {
		await withEmulator(settings, 'webform', async (emulator, target) => {
			gc();
			const base = process.memoryUsage();
			let [rss, heap] = [0, 0];
			const sample = () => {
				const m = process.memoryUsage();
				[rss, heap] = [Math.max(rss, m.rss - base.rss), Math.max(heap, m.heapUsed - base.heapUsed)];
			};
			const timer = setInterval(sample, 50);
			const start = performance.now();
			const result = await send(target, submissions(M));
			const seconds = (performance.now() - start) / 1000;
			clearInterval(timer);
			sample();
			const stats = await emulator.stats();
			const items = result.items as Array<{ json?: IDataObject }>;
			const failed = items.filter((i) => i.json?.error !== undefined).length;
			const outcome = result.error
				? `stopped: ${String((result.error as { message?: string }).message).slice(0, 80)}`
				: `${items.length - failed} ok, ${failed} failed`;
			const { created, rateLimited, peakInFlight } = stats;
			const wall = [fixed(seconds, 1), fixed(seconds / (M / R))];
			limitedRows.push([
				label,
				...wall,
				created,
				outcome,
				rateLimited,
				peakInFlight,
				mb(rss),
				mb(heap),
			]);
			progress(`case 6, rate-limited: ${label} done in ${fixed(seconds, 1)} s`);
		});
	}
	sayTable(
		'variant | wall s | wall / ideal | created in Tracy | items | 429s Tracy sent | peak in flight | peak RSS | peak heap',
		limitedRows,
		'lrrrlrrrr',
	);
}

// ---------------------------------------------------------------------------------------------- case 7

/** A company created in Companies (dataset 2) by its title (property 20) alone, before a run; its ID. */
async function createCompany(t: Target, name: string): Promise<number> {
	const response = await fetch(`${t.baseUrl}/v1/records`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'X-Api-Key': t.apiKey },
		body: JSON.stringify({ dataset: { id: 2 }, datums: [{ property: { id: 20 }, value: name }] }),
	});
	if (!response.ok) throw new Error(`POST /v1/records (a company) answered ${response.status}`);
	return ((await response.json()) as { id: number }).id;
}

async function case7() {
	const [N, C] = [options.items, options.companies];
	const existing = Math.ceil(C / 2);
	say(`\n## 7. Links by name: ${N} leads naming ${C} companies, ${C - existing} of them new\n`);
	// Record → Create in Leads with the column mapper: Name, Email and Account (15, a relation to Companies)
	const leadWith = (options: INodeParameters) =>
		tracy({
			resource: 'record',
			operation: 'create',
			dataset: rl(1),
			columns: {
				...{ mappingMode: 'defineBelow', matchingColumns: [], schema: [] },
				value: { 1: '={{ $json.name }}', 2: '={{ $json.email }}', 15: '={{ $json.company }}' },
				...{ attemptToConvertTypes: false, convertFieldsToString: false },
			},
			options,
		});
	const variants = [
		{
			key: 'id',
			label: `Account by ID (${existing} existing companies)`,
			send: leadWith({}),
		},
		{
			key: 'name',
			label: `Account by name, Create Missing Linked Records (${existing} existing, ${C - existing} new)`,
			send: leadWith({ createMissingLinks: true }),
		},
	];
	// each run names companies of its own: the existing ones created before it, the new ones by it
	let round = 0;
	const itemsFor = async (t: Target, key: string) => {
		const r = ++round;
		const names = Array.from({ length: C }, (_, k) => `Bench Company ${r}.${k + 1}`);
		const ids: number[] = [];
		for (const name of names.slice(0, existing)) ids.push(await createCompany(t, name));
		return Array.from({ length: N }, (_, i) => ({
			name: `Bench Lead ${i + 1}`,
			email: `r${r}.lead${i + 1}@example.com`,
			// by name, every other item in capitals: compared letter case aside
			company: key === 'id' ? ids[i % existing] : i % 2 ? names[i % C].toUpperCase() : names[i % C],
		}));
	};
	const routes: Record<string, Record<string, number[]>> = {};
	const s = await withEmulator({ noLog: false }, 'sales', async (emulator, target) => {
		for (const v of variants) await v.send(target, await itemsFor(target, v.key)); // warm-up
		return await rounds(
			variants,
			async (v) => {
				const items = await itemsFor(target, v.key);
				await emulator.reset();
				const { ms, result } = await timeOnce(() => v.send(target, items), N);
				const stats = await emulator.stats();
				// every lead of one company name links to one company: as many accounts as names
				const accounts = new Set(
					(result.items as Array<{ json: IDataObject }>).map((i) => i.json.Account),
				);
				const names = v.key === 'id' ? existing : C;
				if (accounts.size !== names)
					throw new Error(`${accounts.size} accounts for ${names} names`);
				const leads = stats.byDataset['POST /v1/records dataset=1'];
				if (leads !== N) throw new Error(`${leads} lead creates for ${N} items`);
				const counted: Record<string, number> = {
					...stats.routes,
					...stats.byDataset,
					'distinct accounts': accounts.size,
				};
				delete counted['POST /v1/records'];
				delete counted['GET /v1/records'];
				for (const [route, n] of Object.entries(counted))
					((routes[v.key] ??= {})[route] ??= []).push(n);
				return { ms: ms / N, requests: stats.count };
			},
			'case 7',
		);
	});
	sayTable(
		'variant | ms per item, median (min–max) | requests in all | requests by method, path and dataset (each run)',
		variants.map((v) => [
			v.label,
			showSpread(spread(s[v.key].ms)),
			counts(s[v.key].requests),
			Object.entries(routes[v.key] ?? {})
				.map(([route, n]) => `${route}: ${counts(n)}`)
				.join(', '),
		]),
		'lrrl',
	);
	const by = (route: string) => counts(routes.name?.[route] ?? [0]);
	say(
		`\nBy name: ${by('POST /v1/records dataset=1')} lead creates for ${N} items, ${by('GET /v1/records dataset=2')} look-ups in Companies for ${C} names (${C} first look-ups, made under the match lock, and for each of the ${C - existing} new ones the twin check after its create), ${by('POST /v1/records dataset=2')} companies created. The sales key; the emulator in a child process, logging requests to count them by dataset.`,
	);
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
	say(
		`# Benchmark run\n\n${environment()}. Emulator: test/emulator/server.ts in a child process on 127.0.0.1.`,
	);
	const loaded = options.cases.some((c) => c === 1 || c === 3) ? httpRequestNode() : undefined;
	if (loaded && 'source' in loaded)
		say(
			`(c) uses n8n-nodes-base ${loaded.source.nodesBaseVersion} from the ${loaded.source.how} (${loaded.source.folder}).`,
		);
	const variants: Variant[] = [
		{ key: 'a', label: '(a) Tracy node, n8n engine', send: tracyCreate },
		{
			key: 'a2',
			label: '(a2) Tracy node, From the Submission, n8n engine',
			send: tracySubmissionCreate,
		},
		{ key: 'b', label: '(b) raw fetch, all at once', send: rawCreateConcurrent },
		{ key: 'b1', label: "(b') raw fetch, one at a time", send: rawCreateSerial },
		{
			key: 'c',
			label: `(c) HTTP Request node ${HTTP_REQUEST_VERSION}, n8n engine`,
			send: httpRequestCreate(),
			unavailable: loaded && 'unavailable' in loaded ? loaded.unavailable : undefined,
		},
		{ key: 'd', label: '(d) floor: minimal declarative node, n8n engine', send: floorCreate },
	];
	const cases = [() => case1(variants), case2, () => case3(variants), case4, case5, case6, case7];
	for (const [i, run] of cases.entries()) if (options.cases.includes(i + 1)) await run();
	if (options.out) writeFileSync(options.out, `${report.join('\n')}\n`);
}

if (process.argv.includes('--memory-child')) void memoryChild();
else
	void main().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
