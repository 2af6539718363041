/**
 * `npm run bench`: requests, time per item and memory of the Tracy node, side by side with a raw
 * `fetch` loop, n8n's HTTP Request node and a minimal declarative node, all against the Tracy
 * emulator on 127.0.0.1 (in a child process of its own). Prints Markdown tables; see BENCHMARKS.md.
 *
 *   --repeat R        timed runs per case and variant (default 5); the median and min–max are printed
 *   --items N         Lead → Create items (default 1000)
 *   --records M[,M…]  extra records seeded for Get Many (default 1000,5000,10000: flatness is read across sizes)
 *   --delay MS        emulator answer delay for case 3 (default 20)
 *   --batches B[,B…]  Items per Batch for case 3 (default 10,100; an unbatched run is always added)
 *   --interval MS     Batch Interval for case 3 (default: the delay)
 *   --cases 1,…,6     which cases (default all); BENCH_ONLY=d,m,... limits case 5 to those variants
 *   --import N        case 6: lead creates of the big import (default 10000)
 *   --rate R          case 6: the emulator's rate limit in requests a second (default 100; 429 with Retry-After above it)
 *   --out FILE        also write the report to FILE
 *   --profile V       instead of the cases: CPU profile of a, b, c, d, getAll, getAllRaw or an experiment's variant (bench/profile.ts)
 *   --save FILE       with --profile: keep the .cpuprofile
 *   --mock            with --profile: requests answered inside the engine (no network, no emulator load)
 *   --experiments     instead of the cases: where (a) spends beyond (d) (see bench/experiments.ts)
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
import { startEmulatorProcess } from './emulator-process';
import type { EmulatorProcess } from './emulator-process';
import { engineOnly, runExperiments } from './experiments';
import { runInEngine } from './engine';
import { DATUM_FIELDS, recordCreate, rl, submissions, webFormLead } from './fixtures';
import {
	HTTP_REQUEST_NODE_TYPE,
	HTTP_REQUEST_VERSION,
	httpRequestParameters,
} from './http-request-node';
import { printSummary, profileVariant } from './profile';
import type { Spread } from './stats';
import { fixed, mb, showSpread, spread, table } from './stats';
import type { Batching, Target, VariantResult } from './variants';
import {
	floorCreate,
	httpRequestCreate,
	httpRequestNode,
	rawCreateConcurrent,
	rawCreateSerial,
	rawGetAll,
	tracyCreate,
	tracyGetAll,
	tracySubmissionCreate,
	TRACY_NODE_TYPE,
	tracyCredential,
} from './variants';
import { captureRequests, sameRequests } from './verify';

const repoRoot = join(__dirname, '..', '..');

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? undefined : process.argv[i + 1];
}
const num = (name: string, d: number) => (arg(name) === undefined ? d : Number(arg(name)));
const list = (name: string, d: number[]) =>
	arg(name) === undefined ? d : arg(name)!.split(',').map(Number);

const options = {
	repeat: num('repeat', 5),
	items: num('items', 1000),
	records: list('records', [1000, 5000, 10_000]),
	delay: num('delay', 20),
	batches: list('batches', [10, 100]),
	interval: arg('interval') === undefined ? undefined : Number(arg('interval')),
	cases: list('cases', [1, 2, 3, 4, 5, 6]),
	import: num('import', 10_000),
	rate: num('rate', 100),
	out: arg('out'),
};

const report: string[] = [];
function say(text = '') {
	console.log(text);
	report.push(text);
}
const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);

const gc = () => (globalThis as { gc?: () => void }).gc?.();

type Send = (t: Target, items: IDataObject[], batching?: Batching) => Promise<VariantResult>;

interface Variant {
	key: string;
	label: string;
	send: Send;
	unavailable?: string;
}

async function timeOnce(
	send: () => Promise<VariantResult>,
): Promise<{ ms: number; cpuMs: number; result: VariantResult }> {
	gc();
	const start = performance.now();
	const cpu = process.cpuUsage();
	const result = await send();
	const used = process.cpuUsage(cpu);
	const ms = performance.now() - start;
	if (result.error) throw new Error(`run failed: ${JSON.stringify(result.error).slice(0, 500)}`);
	return { ms, cpuMs: (used.user + used.system) / 1000, result };
}

function environment() {
	let commit = 'unknown';
	try {
		commit = execSync('git rev-parse --short HEAD', { cwd: repoRoot }).toString().trim();
		const dirty = execSync('git status --porcelain -- nodes credentials', { cwd: repoRoot })
			.toString()
			.trim();
		if (dirty) commit += ' (nodes/ or credentials/ modified)';
	} catch {
		// not a git checkout
	}
	const cpu = cpus();
	const version = (name: string) =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		(require(`${name}/package.json`) as { version: string }).version;
	return `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${mb(totalmem())} RAM, commit ${commit}, n8n-core ${version(
		'n8n-core',
	)}, n8n-workflow ${version('n8n-workflow')}`;
}

// ---------------------------------------------------------------------------------------------- case 1

async function case1(variants: Variant[]) {
	const N = options.items;
	say(`\n## 1. Lead → Create, ${N} items\n`);
	// same requests first: a few submissions through every variant, compared with the Tracy node's
	const reference = await captureRequests(tracyCreate);
	const same: Record<string, string> = {};
	for (const v of variants) {
		if (v.unavailable) continue;
		const diff = sameRequests(reference, await captureRequests(v.send));
		same[v.key] = diff ? `differs: ${diff}` : 'same as (a)';
	}
	const emulator = await startEmulatorProcess({ noLog: true });
	const target = { baseUrl: emulator.url, apiKey: emulator.keyFor('webform') };
	const items = submissions(N);
	const times: Record<string, number[]> = {};
	const cpuTimes: Record<string, number[]> = {};
	const requests: Record<string, number[]> = {};
	try {
		for (const v of variants) if (!v.unavailable) await v.send(target, items); // warm-up
		for (let r = 0; r < options.repeat; r++) {
			for (const v of variants) {
				if (v.unavailable) continue;
				await emulator.resetCount();
				const { ms, cpuMs, result } = await timeOnce(() => v.send(target, items));
				if (result.items.length !== N)
					throw new Error(`${v.key}: ${result.items.length} items out of ${N}`);
				(times[v.key] ??= []).push(ms / N);
				(cpuTimes[v.key] ??= []).push(cpuMs / N);
				(requests[v.key] ??= []).push(await emulator.count());
			}
			progress(`case 1: run ${r + 1}/${options.repeat}`);
		}
	} finally {
		await emulator.stop();
	}
	const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, spread(v)])) as Record<
		string,
		Spread
	>;
	const c = Object.fromEntries(Object.entries(cpuTimes).map(([k, v]) => [k, spread(v)])) as Record<
		string,
		Spread
	>;
	const a = s.a;
	const rows = variants.map((v) => {
		if (v.unavailable)
			return [v.label, 'n/a', 'n/a', 'n/a', 'n/a', `unavailable: ${v.unavailable}`];
		const req = requests[v.key];
		const reqText = req.every((x) => x === req[0])
			? String(req[0])
			: `${Math.min(...req)}–${Math.max(...req)}`;
		return [
			v.label,
			`${reqText} (min ${N})`,
			showSpread(s[v.key]),
			showSpread(c[v.key]),
			v.key === 'a' ? '1' : fixed(a.median / s[v.key].median),
			same[v.key] ?? '',
		];
	});
	say(
		table(
			[
				'variant',
				'requests sent',
				'wall ms per item, median (min–max)',
				'client CPU ms per item',
				'a / this (wall)',
				'requests',
			],
			rows,
			['l', 'r', 'r', 'r', 'r', 'l'],
		),
	);
	say(
		`\n${options.repeat} timed runs each after one warm-up run, variants interleaved. Wall ms per item = wall time of the whole run / ${N}; client CPU = CPU time of the benchmark process (the emulator runs in another). "requests": a few submissions sent by each variant to a logging emulator, compared with (a)'s (method, path, key, body).`,
	);

	// the same, with requests answered inside the engine: the engine's and the node's own CPU time
	const engineVariants = variants.filter(
		(v) => ['a', 'a2', 'c', 'd'].includes(v.key) && !v.unavailable,
	);
	const e = await engineOnly(engineVariants, options.repeat, N);
	const es = Object.fromEntries(Object.entries(e).map(([k, v]) => [k, spread(v)])) as Record<
		string,
		Spread
	>;
	say(
		`\nThe same ${N} items with every request answered inside the engine (n8n-core's evaluation mock seam), so that only the engine's and the node's work is timed:\n`,
	);
	say(
		table(
			[
				'variant',
				'engine CPU ms per item, median (min–max)',
				'a / this',
				'this / d, medians (minima)',
			],
			engineVariants.map((v) => [
				v.label,
				showSpread(es[v.key]),
				v.key === 'a' ? '1' : fixed(es.a.median / es[v.key].median),
				es.d
					? `${fixed(es[v.key].median / es.d.median)} (${fixed(es[v.key].min / es.d.min)})`
					: 'n/a',
			]),
			['l', 'r', 'r', 'r'],
		),
	);
	return { wall: s, engine: es };
}

// ---------------------------------------------------------------------------------------------- case 2

interface MemoryResult {
	ms: number;
	items: number;
	/** Peak heap above the baseline, garbage included (GC left to V8), sampled every 2 ms. */
	peakHeap: number;
	/** Peak live heap above the baseline: a full GC before each sample, every 5 ms ('live' runs only). */
	peakLive: number;
	retainedHeap: number;
	peakRss: number;
	outputBytes: number;
}

type MemoryMode = 'plain' | 'live';

/** One Get Many run in a fresh process, so that its heap and RSS start from the same place every time. */
function memoryInChild(
	variant: 'a' | 'b',
	target: Target,
	mode: MemoryMode,
): Promise<MemoryResult> {
	return new Promise((resolve, reject) => {
		const child = fork(
			__filename,
			['--memory-child', variant, target.baseUrl, target.apiKey, mode],
			{
				execArgv: ['--expose-gc'],
				stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			},
		);
		child.once('message', (m: MemoryResult | { error: string }) =>
			'error' in m ? reject(new Error(m.error)) : resolve(m),
		);
		child.once('error', reject);
	});
}

async function memoryChild() {
	const [, variant, baseUrl, apiKey, mode] = process.argv.slice(
		process.argv.indexOf('--memory-child'),
	);
	const target = { baseUrl, apiKey };
	try {
		// warm-up on one record: code loaded and compiled before the baseline, so that what is measured is the walk
		if (variant === 'a') await tracyGetAll(target, { returnAll: false, limit: 1 });
		else await rawGetAll(target, 1);
		gc();
		gc();
		const base = process.memoryUsage();
		let peakHeap = base.heapUsed;
		let peakLive = base.heapUsed;
		let peakRss = base.rss;
		const sample = () => {
			const m = process.memoryUsage();
			peakHeap = Math.max(peakHeap, m.heapUsed);
			peakRss = Math.max(peakRss, m.rss);
		};
		const sampleLive = () => {
			gc();
			peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
		};
		const timer = mode === 'live' ? setInterval(sampleLive, 5) : setInterval(sample, 2);
		const start = performance.now();
		const result = variant === 'a' ? await tracyGetAll(target) : await rawGetAll(target);
		const ms = performance.now() - start;
		clearInterval(timer);
		if (mode === 'live') sampleLive();
		else sample();
		if (result.error) throw new Error(JSON.stringify(result.error));
		gc();
		gc();
		const retainedHeap = process.memoryUsage().heapUsed - base.heapUsed;
		const json = (result.items as Array<IDataObject & { json?: IDataObject }>).map((i) =>
			variant === 'a' ? i.json : i,
		);
		const outputBytes = Buffer.byteLength(JSON.stringify(json));
		process.send!({
			ms,
			items: result.items.length,
			peakHeap: peakHeap - base.heapUsed,
			peakLive: peakLive - base.heapUsed,
			retainedHeap,
			peakRss: peakRss - base.rss,
			outputBytes,
		} satisfies MemoryResult);
	} catch (error) {
		process.send!({ error: String(error) });
	}
	process.exit(0);
}

async function case2() {
	say(`\n## 2. Record → Get Many, Return All\n`);
	const rows: Array<Array<string | number>> = [];
	const memRows: Array<Array<string | number>> = [];
	for (const extra of options.records) {
		const emulator: EmulatorProcess = await startEmulatorProcess({
			noLog: true,
			extraLeads: extra,
		});
		const target = { baseUrl: emulator.url, apiKey: emulator.keyFor('owner') };
		try {
			const variants = [
				{ key: 'a', label: '(a) Tracy node', run: () => tracyGetAll(target) },
				{ key: 'b', label: '(b) raw fetch loop', run: () => rawGetAll(target) },
			] as const;
			for (const v of variants) await v.run(); // warm-up
			const times: Record<string, number[]> = { a: [], b: [] };
			const reqs: Record<string, number[]> = { a: [], b: [] };
			let returned = 0;
			for (let r = 0; r < options.repeat; r++) {
				for (const v of variants) {
					await emulator.resetCount();
					const { ms, result } = await timeOnce(v.run);
					returned = result.items.length;
					times[v.key].push(ms);
					reqs[v.key].push(await emulator.count());
				}
			}
			const minimum = Math.ceil(returned / 100);
			const sa = spread(times.a);
			const sb = spread(times.b);
			for (const v of variants) {
				const t = v.key === 'a' ? sa : sb;
				const req = reqs[v.key];
				rows.push([
					`${returned}`,
					v.label,
					`${req.every((x) => x === req[0]) ? req[0] : `${Math.min(...req)}–${Math.max(...req)}`} (ceil(N/100) = ${minimum})`,
					showSpread(t, 0),
					fixed((1000 * t.median) / returned, 1),
					v.key === 'a' ? fixed(sa.median / sb.median) : '',
				]);
			}
			// memory: fresh processes, fewer runs (each one starts a process)
			const memRuns = Math.min(options.repeat, 3);
			for (const v of variants) {
				const plain: MemoryResult[] = [];
				const live: MemoryResult[] = [];
				for (let r = 0; r < memRuns; r++) {
					plain.push(await memoryInChild(v.key, target, 'plain'));
					live.push(await memoryInChild(v.key, target, 'live'));
				}
				const m = (runs: MemoryResult[], f: (x: MemoryResult) => number) =>
					spread(runs.map(f)).median;
				memRows.push([
					`${returned}`,
					v.label,
					mb(m(plain, (x) => x.outputBytes)),
					mb(m(plain, (x) => x.retainedHeap)),
					mb(m(plain, (x) => x.peakHeap)),
					mb(m(plain, (x) => x.peakRss)),
					mb(m(live, (x) => x.peakLive)),
					`${fixed(m(live, (x) => x.peakLive - x.retainedHeap) / 1024, 0)} kB`,
				]);
			}
			progress(`case 2: ${returned} records done`);
		} finally {
			await emulator.stop();
		}
	}
	say(
		table(
			[
				'N records',
				'variant',
				'requests sent',
				'wall ms, median (min–max)',
				'µs per record',
				'a / b',
			],
			rows,
			['r', 'l', 'r', 'r', 'r', 'r'],
		),
	);
	say(
		`\n${options.repeat} timed runs each after one warm-up run. The emulator answers 100 records a page (MAX_PAGE_SIZE).\n`,
	);
	say(
		table(
			[
				'N records',
				'variant',
				'output as JSON',
				'heap kept by the output',
				'peak heap',
				'peak RSS',
				'peak live heap',
				'live peak − output',
			],
			memRows,
			['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
		),
	);
	say(
		`\nMedians of ${Math.min(options.repeat, 3)} runs of each kind, each in a fresh process (node --expose-gc) after a warm-up Get Many of one record: all figures are above the process's own baseline after a full GC. "heap kept by the output": heap still used after a full GC with the output held. "peak heap" and "peak RSS": sampled every 2 ms with GC left to V8, so they include garbage not yet collected, which grows with the heap. "peak live heap": a separate run with a full GC before each sample (every 5 ms), so only what is still referenced counts. Memory is flat in N when "live peak − output" stays put as N grows.`,
	);
}

// ---------------------------------------------------------------------------------------------- case 3

async function case3(variants: Variant[]) {
	const N = options.items;
	const delay = options.delay;
	const interval = options.interval ?? delay;
	say(`\n## 3. Lead → Create, ${N} items, the emulator answering after ${delay} ms\n`);
	const emulator = await startEmulatorProcess({ noLog: true, delayMs: delay });
	const target = { baseUrl: emulator.url, apiKey: emulator.keyFor('webform') };
	const items = submissions(N);
	const configs: Array<{ label: string; batching?: Batching; bound: number }> = [
		{ label: 'no batching (all items at once)', bound: delay },
		...options.batches.map((b) => ({
			label: `Batching: ${b} items per batch, ${interval} ms interval`,
			batching: { batchSize: b, batchInterval: interval },
			bound: (Math.ceil(N / b) - 1) * interval + delay,
		})),
	];
	const rows: Array<Array<string | number>> = [];
	const serialBound = N * delay;
	try {
		const engineVariants = variants.filter(
			(v) => ['a', 'c', 'd'].includes(v.key) && !v.unavailable,
		);
		for (const v of engineVariants) await v.send(target, items.slice(0, 100)); // warm-up
		for (const config of configs) {
			const times: Record<string, number[]> = {};
			for (let r = 0; r < options.repeat; r++) {
				for (const v of engineVariants) {
					await emulator.resetCount();
					const { ms, result } = await timeOnce(() => v.send(target, items, config.batching));
					const sent = await emulator.count();
					if (result.items.length !== N || sent !== N)
						throw new Error(`${v.key}: ${result.items.length} items, ${sent} requests for ${N}`);
					(times[v.key] ??= []).push(ms);
				}
			}
			for (const v of engineVariants) {
				const s = spread(times[v.key]);
				rows.push([
					config.label,
					v.label,
					showSpread({ ...s, median: s.median / N, min: s.min / N, max: s.max / N }),
					fixed(s.median / serialBound),
					fixed(s.median / Math.max(config.bound, 1)),
					`${fixed(config.bound / N, 3)}`,
				]);
			}
			progress(`case 3: ${config.label} done`);
		}
		const raw: number[] = [];
		for (let r = 0; r < options.repeat; r++)
			raw.push((await timeOnce(() => rawCreateConcurrent(target, items))).ms);
		const s = spread(raw);
		rows.push([
			'no batching',
			'(b) raw fetch, all at once',
			showSpread({ ...s, median: s.median / N, min: s.min / N, max: s.max / N }),
			fixed(s.median / serialBound),
			fixed(s.median / delay),
			fixed(delay / N, 3),
		]);
	} finally {
		await emulator.stop();
	}
	say(
		table(
			[
				'configuration',
				'variant',
				'ms per item, median (min–max)',
				'time / serial bound',
				'time / concurrent bound',
				'concurrent bound, ms per item',
			],
			rows,
			['l', 'l', 'r', 'r', 'r', 'r'],
		),
	);
	say(
		`\nSerial bound: N × delay = ${serialBound} ms (${fixed(serialBound / N)} ms per item), what one request at a time would take. Concurrent bound: the delay once for all items at once; with Batching, (ceil(N / batch size) − 1) × interval + delay, the engine's sleeps between batches plus the last answer. A ratio near 1 to the concurrent bound means the engine hides the latency; above it, the engine's own per-item work is what counts.`,
	);
}

// ---------------------------------------------------------------------------------------------- case 4

function loadTimes(): Promise<{ workflow: number; require: number; instantiate: number }> {
	return new Promise((resolve, reject) => {
		const child = fork(join(__dirname, 'load-time.js'), [], {
			execArgv: [],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		child.once('message', resolve);
		child.once('error', reject);
	});
}

async function case4() {
	say('\n## 4. Package\n');
	const pack = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: repoRoot,
		}).toString(),
	) as Array<{
		size: number;
		unpackedSize: number;
		entryCount: number;
	}>;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const pkg = require(join(repoRoot, 'package.json')) as {
		dependencies?: object;
		peerDependencies?: object;
	};
	const runs = [];
	for (let r = 0; r < Math.max(options.repeat, 5); r++) runs.push(await loadTimes());
	const w = spread(runs.map((x) => x.workflow));
	const q = spread(runs.map((x) => x.require));
	const i = spread(runs.map((x) => x.instantiate));
	say(
		table(
			['measure', 'value'],
			[
				[
					'tarball (`npm pack`)',
					`${fixed(pack[0].size / 1024, 1)} kB packed, ${fixed(pack[0].unpackedSize / 1024, 1)} kB unpacked, ${pack[0].entryCount} files`,
				],
				[
					'runtime dependencies',
					`${Object.keys(pkg.dependencies ?? {}).length} (peer: ${Object.keys(pkg.peerDependencies ?? {}).join(', ') || 'none'}, provided by n8n)`,
				],
				[
					'load node + credential modules (n8n-workflow already loaded, as in n8n)',
					`${showSpread(q, 1)} ms`,
				],
				[
					'construct `new Tracy()` + `new TracyApi()` (builds the description)',
					`${showSpread(i, 1)} ms`,
				],
				['for scale: loading n8n-workflow itself', `${showSpread(w, 0)} ms`],
			],
			['l', 'r'],
		),
	);
	say(
		`\nLoad times: ${runs.length} fresh processes, median (min–max), from the built dist/ (npm run bench builds first).`,
	);
}

/** 5. The column mapper and Create or Update (#19): what they cost next to the floor node. */
/** The Tracy node with these parameters, run in n8n's engine against a target. */
const engine =
	(parameters: INodeParameters, onError?: 'continueRegularOutput'): Send =>
	async (t, items) =>
		await runInEngine({
			type: TRACY_NODE_TYPE,
			parameters,
			items,
			credentials: tracyCredential(t),
			onError,
		});

async function case5() {
	const N = Math.min(options.items, 500);
	say(`\n## 5. Column mapper and Create or Update, ${N} items\n`);
	const emulator = await startEmulatorProcess({ noLog: true });
	const target = { baseUrl: emulator.url, apiKey: emulator.keyFor('sales') };
	const mapped = Object.fromEntries(
		DATUM_FIELDS.map(({ property, field }) => [String(property), `={{ $json.${field} }}`]),
	);
	const columns = (matchingColumns: string[]) => ({
		mappingMode: 'defineBelow',
		value: mapped,
		matchingColumns,
		schema: [],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	});
	let round = 0;
	const variants0: Array<{ key: string; label: string; send: Send; fresh: boolean }> = [
		{ key: 'd', label: '(d) floor: minimal declarative node', send: floorCreate, fresh: true },
		{
			key: 'l',
			label: 'Lead → Create, six fields (unchanged: one POST, no read)',
			send: tracyCreate,
			fresh: true,
		},
		{
			key: 'r',
			label: 'Record → Create, six Property Values rows',
			send: engine(recordCreate()),
			fresh: true,
		},
		{
			key: 'm',
			label: 'Record → Create, six mapped columns (column mapper)',
			send: engine({
				resource: 'record',
				operation: 'create',
				dataset: rl(1),
				columns: columns([]),
			}),
			fresh: true,
		},
		{
			key: 'u',
			label: 'Lead → Create or Update on Email, new emails (list + create)',
			send: engine({
				resource: 'lead',
				operation: 'upsert',
				dataset: rl(1),
				upsertColumns: columns(['2']),
			}),
			fresh: true,
		},
		{
			key: 'u2',
			label: 'Lead → Create or Update, the same items again (list, nothing changed)',
			send: engine({
				resource: 'lead',
				operation: 'upsert',
				dataset: rl(1),
				upsertColumns: columns(['2']),
			}),
			fresh: false,
		},
	];
	const variants = process.env.BENCH_ONLY
		? variants0.filter((v) => process.env.BENCH_ONLY!.split(',').includes(v.key))
		: variants0;
	const times: Record<string, number[]> = {};
	const routes: Record<string, Record<string, number>> = {};
	let last: IDataObject[] = [];
	try {
		for (let r = 0; r < options.repeat; r++) {
			for (const v of variants) {
				// new emails for each run of a creating variant; u2 runs u's items again
				const items = v.fresh
					? submissions(N).map((item) => ({ ...item, email: `r${++round}.${String(item.email)}` }))
					: last;
				if (v.fresh) last = items;
				await emulator.resetCount();
				const { ms, result } = await timeOnce(() => v.send(target, items));
				if (result.items.length !== N)
					throw new Error(`${v.key}: ${result.items.length} items out of ${N}`);
				(times[v.key] ??= []).push(ms / N);
				routes[v.key] = await emulator.byRoute();
			}
			progress(`case 5: run ${r + 1}/${options.repeat}`);
		}
	} finally {
		await emulator.stop();
	}
	const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, spread(v)])) as Record<
		string,
		Spread
	>;
	const perItem = (k: string) =>
		Object.entries(routes[k] ?? {})
			.map(([route, n]) =>
				n === N ? `${route} ×1` : n % N === 0 ? `${route} ×${n / N}` : `${route}: ${n} in all`,
			)
			.join(', ');
	say(
		table(
			[
				'variant',
				'ms per item, median (min–max)',
				'x floor (medians)',
				'requests (last run), per item unless said',
			],
			variants.map((v) => [
				v.label,
				showSpread(s[v.key], 2),
				s.d ? fixed(s[v.key].median / s.d.median) : 'n/a',
				perItem(v.key),
			]),
			['l', 'r', 'r', 'l'],
		),
	);
	if (s.m && s.d)
		say(
			`\nGoal: the mapper (m) at most 1.3× the floor (d): m/d = ${fixed(s.m.median / s.d.median)} by medians, ${fixed(s.m.min / s.d.min)} by minima.`,
		);
}

// ---------------------------------------------------------------------------------------------- case 6

/** Peak RSS and heap above where they were when sampling started, sampled every 50 ms. */
function memorySampler() {
	gc();
	const base = process.memoryUsage();
	let rss = 0;
	let heap = 0;
	const sample = () => {
		const m = process.memoryUsage();
		rss = Math.max(rss, m.rss - base.rss);
		heap = Math.max(heap, m.heapUsed - base.heapUsed);
	};
	const timer = setInterval(sample, 50);
	return () => {
		clearInterval(timer);
		sample();
		return { rss, heap };
	};
}

async function case6() {
	say(`\n## 6. Big imports: the bound on requests in flight\n`);
	const withBound = (maxInFlight?: number) =>
		webFormLead(maxInFlight === undefined ? {} : { requestOptions: { maxInFlight } });

	// (a) a calm Tracy: what the bound costs against sending everything at once (1000 in flight = no bound)
	const N = options.items;
	const calm = [
		{
			key: 'default',
			label: `Max Requests in Flight ${DEFAULT_MAX_IN_FLIGHT} (default)`,
			send: engine(withBound()),
		},
		{ key: '10', label: 'Max Requests in Flight 10', send: engine(withBound(10)) },
		{ key: '4', label: 'Max Requests in Flight 4', send: engine(withBound(4)) },
		{
			key: 'all',
			label: 'no bound (1000: every item at once, as before)',
			send: engine(withBound(1000)),
		},
	];
	const rows: Array<Array<string | number>> = [];
	for (const delay of [0, options.delay]) {
		const emulator = await startEmulatorProcess({ noLog: true, delayMs: delay || undefined });
		const target = { baseUrl: emulator.url, apiKey: emulator.keyFor('webform') };
		const times: Record<string, number[]> = {};
		const peaks: Record<string, number> = {};
		try {
			for (const v of calm) await v.send(target, submissions(50)); // warm-up
			for (let r = 0; r < options.repeat; r++) {
				for (const v of calm) {
					await emulator.resetCount();
					const { ms, result } = await timeOnce(() => v.send(target, submissions(N)));
					if (result.items.length !== N)
						throw new Error(`case 6 ${v.key}: ${result.items.length} items out of ${N}`);
					(times[v.key] ??= []).push(ms / N);
					peaks[v.key] = Math.max(peaks[v.key] ?? 0, (await emulator.stats()).peakInFlight);
				}
				progress(`case 6, calm Tracy answering after ${delay} ms: run ${r + 1}/${options.repeat}`);
			}
		} finally {
			await emulator.stop();
		}
		const all = spread(times.all);
		for (const v of calm) {
			const s = spread(times[v.key]);
			rows.push([
				`${delay} ms`,
				v.label,
				showSpread(s, 2),
				fixed(s.median / all.median),
				peaks[v.key],
			]);
		}
	}
	say(`(a) Lead → Create, ${N} items, Tracy without a rate limit:\n`);
	say(
		table(
			[
				'Tracy answers after',
				'Tracy node',
				'wall ms per item, median (min–max)',
				'this / no bound',
				'peak in flight at Tracy',
			],
			rows,
			['r', 'l', 'r', 'r', 'r'],
		),
	);

	// (b) a rate-limited Tracy: 429 with Retry-After above the rate (--rate 0 leaves it out)
	const M = options.import;
	const R = options.rate;
	if (!R) return;
	say(
		`\n(b) ${M} lead creates against a Tracy that takes ${R} requests a second (429 with Retry-After above it) and answers after ${options.delay} ms; ideal ${fixed(M / R, 0)} s. One run each:\n`,
	);
	const loaded = httpRequestNode();
	const limited = [
		{ key: 'a', label: '(a) Tracy node, no option set', send: engine(withBound()) },
		...('nodeType' in loaded
			? [
					{
						key: 'c',
						label: '(c) HTTP Request node, no Batching (Continue On Fail)',
						send: httpCreate(),
					},
					{
						key: 'cb',
						label: `(c) HTTP Request node, Batching ${R} items per 1000 ms (Continue On Fail)`,
						send: httpCreate({ batchSize: R, batchInterval: 1000 }),
					},
				]
			: []),
	];
	const limitedRows: Array<Array<string | number>> = [];
	for (const v of limited) {
		// answers after the usual delay, as a remote API: requests in flight then mean something
		const emulator = await startEmulatorProcess({
			noLog: true,
			rateLimitPerSecond: R,
			delayMs: options.delay || undefined,
		});
		const target = { baseUrl: emulator.url, apiKey: emulator.keyFor('webform') };
		try {
			await emulator.resetCount();
			const stop = memorySampler();
			const start = performance.now();
			const result = await v.send(target, submissions(M));
			const seconds = (performance.now() - start) / 1000;
			const memory = stop();
			const stats = await emulator.stats();
			const items = result.items as Array<{ json?: IDataObject }>;
			const failed = items.filter((i) => i.json?.error !== undefined).length;
			const outcome = result.error
				? `stopped: ${String((result.error as { message?: string }).message).slice(0, 80)}`
				: `${items.length - failed} ok, ${failed} failed`;
			limitedRows.push([
				v.label,
				fixed(seconds, 1),
				fixed(seconds / (M / R)),
				stats.created,
				outcome,
				stats.rateLimited,
				stats.peakInFlight,
				mb(memory.rss),
				mb(memory.heap),
			]);
			progress(`case 6, rate-limited: ${v.key} done in ${fixed(seconds, 1)} s`);
		} finally {
			await emulator.stop();
		}
	}
	if (!('nodeType' in loaded)) say(`(c) unavailable: ${loaded.unavailable}\n`);
	say(
		table(
			[
				'variant',
				'wall s',
				'wall / ideal',
				'created in Tracy',
				'items',
				'429s Tracy sent',
				'peak in flight',
				'peak RSS',
				'peak heap',
			],
			limitedRows,
			['l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r'],
		),
	);
}

function httpCreate(batching?: Batching): Send {
	return async (t, items) =>
		await runInEngine({
			type: HTTP_REQUEST_NODE_TYPE,
			typeVersion: HTTP_REQUEST_VERSION,
			parameters: httpRequestParameters(
				t.baseUrl,
				batching ? { batching: { batch: { ...batching } } } : {},
			),
			items,
			credentials: tracyCredential(t),
			onError: 'continueRegularOutput',
		});
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
	if (process.argv.includes('--experiments')) {
		say(`# Benchmark experiments\n\n${environment()}.`);
		await runExperiments(options.repeat, options.items, say);
		if (options.out) writeFileSync(options.out, `${report.join('\n')}\n`);
		return;
	}
	const profile = arg('profile');
	if (profile) {
		const o = {
			variant: profile,
			items: options.items,
			repeat: num('repeat', 3),
			save: arg('save'),
			records: options.records.at(-1),
			mock: process.argv.includes('--mock'),
		};
		printSummary(o, await profileVariant(o));
		return;
	}
	say(
		`# Benchmark run\n\n${environment()}. Emulator: test/emulator/server.ts in a child process on 127.0.0.1.`,
	);
	const loaded = options.cases.some((c) => c === 1 || c === 3) ? httpRequestNode() : undefined;
	const variants: Variant[] = [
		{ key: 'a', label: '(a) Tracy node, n8n engine', send: tracyCreate },
		{
			key: 'a2',
			label: '(a2) Tracy node v2, From the Submission, n8n engine',
			send: tracySubmissionCreate,
		},
		{ key: 'b', label: '(b) raw fetch, all at once', send: rawCreateConcurrent },
		{ key: 'b1', label: "(b') raw fetch, one at a time", send: rawCreateSerial },
		{
			key: 'c',
			label: `(c) HTTP Request node ${HTTP_REQUEST_VERSION}, n8n engine`,
			send: httpRequestCreate,
			unavailable: loaded && 'unavailable' in loaded ? loaded.unavailable : undefined,
		},
		{ key: 'd', label: '(d) floor: minimal declarative node, n8n engine', send: floorCreate },
	];
	if (loaded && 'source' in loaded) {
		say(
			`(c) uses n8n-nodes-base ${loaded.source.nodesBaseVersion} from the ${loaded.source.how} (${loaded.source.folder}).`,
		);
	}
	if (options.cases.includes(1)) {
		const { wall, engine } = await case1(variants);
		const ratio = (s: Record<string, Spread>, x: string) =>
			s.a && s[x] ? fixed(s.a.median / s[x].median) : 'n/a';
		say(
			`\nRatios of medians, wall time over HTTP: a/b = ${ratio(wall, 'b')}, a/c = ${ratio(wall, 'c')}, a/d = ${ratio(wall, 'd')}; engine only: a/c = ${ratio(engine, 'c')}, a/d = ${ratio(engine, 'd')} (goals: a/d ≤ 1.1, a/c ≤ 1).`,
		);
		const of = (s: Record<string, Spread>, x: string, y: string, k: 'median' | 'min') =>
			s[x] && s[y] ? fixed(s[x][k] / s[y][k]) : 'n/a';
		say(
			`\nFrom the Submission (a2): wall time over HTTP a2/c = ${of(wall, 'a2', 'c', 'median')} by medians, ${of(wall, 'a2', 'c', 'min')} by minima (goal ≤ 1.6); engine only a2/d = ${of(engine, 'a2', 'd', 'median')} by medians, ${of(engine, 'a2', 'd', 'min')} by minima (goal ≤ 0.65).`,
		);
	}
	if (options.cases.includes(2)) await case2();
	if (options.cases.includes(3)) await case3(variants);
	if (options.cases.includes(4)) await case4();
	if (options.cases.includes(5)) await case5();
	if (options.cases.includes(6)) await case6();
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
