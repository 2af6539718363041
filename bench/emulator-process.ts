/**
 * The Tracy emulator (test/emulator/server.ts) in a child process of its own, as a remote API would be:
 * the client being measured keeps a core, and its heap and RSS are its own. The child counts the requests
 * it receives (a second `request` listener on its server), so the emulator's request log stays off
 * (`noLog`); a case that needs requests by dataset turns the log on (`noLog: false`) and reads
 * `byDataset`. The child part runs when this file is started with BENCH_EMULATOR_CHILD=1.
 */
import { fork } from 'node:child_process';
import type { Server } from 'node:http';

import type { EmulatorOptions, TracyEmulator } from '../test/emulator/server';
import { startEmulator } from '../test/emulator/server';

type KeyName = Parameters<TracyEmulator['keyFor']>[0];
const KEY_NAMES: KeyName[] = ['owner', 'administrator', 'sales', 'webform', 'reader'];

interface Stats {
	/** Requests since the last reset. */
	count: number;
	/** The same by method and path, IDs replaced by `{id}` ("GET /v1/datasets/{id}"). */
	routes: Record<string, number>;
	/**
	 * With the request log on (`noLog: false`): the routes of `/v1/records` by the dataset asked for (the
	 * `dataset` query of a list, the body's `dataset.id` of a create), as "POST /v1/records dataset=2".
	 */
	byDataset: Record<string, number>;
	/** The most requests in flight at once, the 429s sent and the leads created since the last reset. */
	peakInFlight: number;
	rateLimited: number;
	created: number;
}
type Op = 'stats' | 'reset' | 'stop';

export interface EmulatorProcess {
	url: string;
	keyFor(name: KeyName): string;
	stats(): Promise<Stats>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

export async function startEmulatorProcess(
	options: EmulatorOptions = {},
): Promise<EmulatorProcess> {
	const child = fork(__filename, [JSON.stringify(options)], {
		env: { ...process.env, BENCH_EMULATOR_CHILD: '1' },
		execArgv: [],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const pending = new Map<number, (value: Stats) => void>();
	let nextId = 0;
	const ready = await new Promise<{ url: string; keys: Record<string, string> }>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
			child.on('message', (m: { id?: number; value?: Stats; url?: string; keys?: object }) => {
				if (m.id === undefined) resolve(m as { url: string; keys: Record<string, string> });
				else pending.get(m.id)?.(m.value!);
			});
		},
	);
	child.removeAllListeners('exit');
	const call = (op: Op) =>
		new Promise<Stats>((resolve) => {
			const id = ++nextId;
			pending.set(id, (value) => {
				pending.delete(id);
				resolve(value);
			});
			child.send({ id, op });
		});
	return {
		url: ready.url,
		keyFor: (name) => ready.keys[name],
		stats: async () => await call('stats'),
		reset: async () => void (await call('reset')),
		stop: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			await call('stop');
			await exited;
		},
	};
}

/** The logged requests to `/v1/records` counted by method and the dataset they name. */
function byDataset(emulator: TracyEmulator): Record<string, number> {
	const out: Record<string, number> = {};
	for (const r of emulator.requests) {
		if (r.path !== '/v1/records') continue;
		const body = r.body as { dataset?: { id?: number } } | undefined;
		const dataset = r.method === 'GET' ? r.query.dataset : body?.dataset?.id;
		const key = `${r.method} ${r.path} dataset=${String(dataset ?? '?')}`;
		out[key] = (out[key] ?? 0) + 1;
	}
	return out;
}

async function childMain() {
	const emulator = await startEmulator(JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions);
	let count = 0;
	let routes: Record<string, number> = {};
	let createdBefore = emulator.storedRecords(1).length;
	// the server is private to the emulator; counting from a second listener leaves it untouched
	(emulator as unknown as { server: Server }).server.on('request', (req) => {
		count++;
		const path = String(req.url ?? '').split('?')[0];
		const route = `${req.method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
		routes[route] = (routes[route] ?? 0) + 1;
	});
	process.on('message', ({ id, op }: { id: number; op: Op }) => {
		const reply = (value?: Stats, then?: () => void) => process.send!({ id, value }, then);
		if (op === 'stats') {
			const { peakInFlight, rateLimited } = emulator;
			const created = emulator.storedRecords(1).length - createdBefore;
			reply({ count, routes, byDataset: byDataset(emulator), peakInFlight, rateLimited, created });
		} else if (op === 'reset') {
			count = 0;
			routes = {};
			emulator.requests.length = 0;
			emulator.peakInFlight = emulator.inFlight;
			emulator.rateLimited = 0;
			createdBefore = emulator.storedRecords(1).length;
			reply();
		} else void emulator.stop().then(() => reply(undefined, () => process.exit(0)));
	});
	process.on('disconnect', () => process.exit(0));
	const keys = Object.fromEntries(KEY_NAMES.map((name) => [name, emulator.keyFor(name)]));
	process.send!({ url: emulator.url, keys });
}

if (require.main === module && process.env.BENCH_EMULATOR_CHILD === '1') void childMain();
