/**
 * The Tracy emulator (test/emulator/server.ts) in a child process of its own, as a remote API would be:
 * on this 2-core machine the client being measured keeps one core to itself, and its heap and RSS are
 * not mixed with the server's. The child counts the requests it receives (an extra `request` listener
 * on its server), so the emulator's own request log can stay off (`noLog`) and its memory flat.
 *
 * Started with `fork` on this same compiled file; the child part runs when the file is the main module
 * of a process started with BENCH_EMULATOR_CHILD=1.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';

import type { EmulatorOptions, TracyEmulator } from '../test/emulator/server';
import { startEmulator } from '../test/emulator/server';

type KeyName = Parameters<TracyEmulator['keyFor']>[0];
const KEY_NAMES: KeyName[] = ['owner', 'administrator', 'sales', 'webform', 'reader'];

type Request = { id: number; op: 'count' | 'resetCount' | 'stop' | 'byRoute' | 'stats' };
type Reply = { id: number; value?: number; routes?: Record<string, number> };
type Ready = { ready: true; url: string; keys: Record<string, string> };

export interface EmulatorProcess {
	url: string;
	keyFor(name: KeyName): string;
	/** Requests received since the start or the last resetCount(). */
	count(): Promise<number>;
	resetCount(): Promise<void>;
	/** The same requests by method and path, IDs replaced by `{id}` ("GET /v1/datasets/{id}"). */
	byRoute(): Promise<Record<string, number>>;
	/** Since the last resetCount(): the most requests in flight at once, the 429s sent, the records created. */
	stats(): Promise<{ peakInFlight: number; rateLimited: number; created: number }>;
	stop(): Promise<void>;
}

export async function startEmulatorProcess(
	options: EmulatorOptions = {},
): Promise<EmulatorProcess> {
	const child: ChildProcess = fork(__filename, [JSON.stringify(options)], {
		env: { ...process.env, BENCH_EMULATOR_CHILD: '1' },
		execArgv: [],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const pending = new Map<number, (value?: number, routes?: Record<string, number>) => void>();
	let nextId = 0;
	const ready = await new Promise<Ready>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`emulator process exited with ${String(code)}`)));
		child.on('message', (message: Ready | Reply) => {
			if ('ready' in message) resolve(message);
			else pending.get(message.id)?.(message.value, message.routes);
		});
	});
	child.removeAllListeners('exit');
	const routesOf = (op: Request['op']) =>
		new Promise<Record<string, number>>((resolve) => {
			const id = ++nextId;
			pending.set(id, (_value, routes) => {
				pending.delete(id);
				resolve(routes ?? {});
			});
			child.send({ id, op } satisfies Request);
		});
	const call = (op: Request['op']) =>
		new Promise<number | undefined>((resolve) => {
			const id = ++nextId;
			pending.set(id, (value) => {
				pending.delete(id);
				resolve(value);
			});
			child.send({ id, op } satisfies Request);
		});
	return {
		url: ready.url,
		keyFor: (name) => ready.keys[name],
		count: async () => (await call('count')) ?? 0,
		resetCount: async () => {
			await call('resetCount');
		},
		byRoute: async () => await routesOf('byRoute'),
		stats: async () =>
			(await routesOf('stats')) as unknown as {
				peakInFlight: number;
				rateLimited: number;
				created: number;
			},
		stop: async () => {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			await call('stop');
			await exited;
		},
	};
}

async function childMain() {
	const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
	const emulator = await startEmulator(options);
	let received = 0;
	let routes: Record<string, number> = {};
	let createdBefore = emulator.storedRecords(1).length;
	// the server is private to the emulator; counting from a second listener leaves it untouched
	(emulator as unknown as { server: Server }).server.on(
		'request',
		(req: { method?: string; url?: string }) => {
			received++;
			const route = `${req.method} ${String(req.url ?? '')
				.split('?')[0]
				.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
			routes[route] = (routes[route] ?? 0) + 1;
		},
	);
	process.on('message', (message: Request) => {
		if (message.op === 'count') process.send!({ id: message.id, value: received } satisfies Reply);
		if (message.op === 'byRoute') process.send!({ id: message.id, routes } satisfies Reply);
		if (message.op === 'stats') {
			const stats = {
				peakInFlight: emulator.peakInFlight,
				rateLimited: emulator.rateLimited,
				created: emulator.storedRecords(1).length - createdBefore,
			};
			process.send!({ id: message.id, routes: stats } satisfies Reply);
		}
		if (message.op === 'resetCount') {
			received = 0;
			routes = {};
			emulator.peakInFlight = emulator.inFlight;
			emulator.rateLimited = 0;
			createdBefore = emulator.storedRecords(1).length;
			process.send!({ id: message.id } satisfies Reply);
		}
		if (message.op === 'stop') {
			void emulator.stop().then(() => {
				process.send!({ id: message.id } satisfies Reply, () => process.exit(0));
			});
		}
	});
	process.on('disconnect', () => process.exit(0));
	const keys = Object.fromEntries(KEY_NAMES.map((name) => [name, emulator.keyFor(name)]));
	process.send!({ ready: true, url: emulator.url, keys } satisfies Ready);
}

if (require.main === module && process.env.BENCH_EMULATOR_CHILD === '1') {
	void childMain();
}
