/**
 * Postgres and Redis for the queue-mode scenario, from Debian's packages: installed with apt-get
 * when missing (as root, or through `sudo -n`), each started as a process of its own on 127.0.0.1,
 * on a free port, with its data in a temporary folder, and stopped (the folder removed) at the end.
 * Whatever is missing or does not start is named in the error.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort, sleep } from '../n8n';

const APT_PACKAGES = ['postgresql', 'redis-server'];

function which(bin: string): string | undefined {
	const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/** Debian keeps the server binaries under /usr/lib/postgresql/<major>/bin, outside PATH. */
function postgresBin(name: 'initdb' | 'pg_ctl' | 'postgres'): string | undefined {
	const root = '/usr/lib/postgresql';
	if (fs.existsSync(root)) {
		const majors = fs
			.readdirSync(root)
			.filter((d) => /^\d+$/.test(d))
			.sort((a, b) => Number(b) - Number(a));
		for (const major of majors) {
			const bin = path.join(root, major, 'bin', name);
			if (fs.existsSync(bin)) return bin;
		}
	}
	return which(name);
}

export interface ServiceBinaries {
	initdb: string;
	pgCtl: string;
	redisServer: string;
}

function findBinaries(): { found: Partial<ServiceBinaries>; missing: string[] } {
	const found: Partial<ServiceBinaries> = {
		initdb: postgresBin('initdb'),
		pgCtl: postgresBin('pg_ctl'),
		redisServer: which('redis-server'),
	};
	const missing = [
		...(found.initdb && found.pgCtl
			? []
			: ['PostgreSQL server (initdb, pg_ctl; Debian package postgresql)']),
		...(found.redisServer ? [] : ['Redis server (redis-server; Debian package redis-server)']),
	];
	return { found, missing };
}

const isRoot = () => process.getuid?.() === 0;

/** Finds Postgres and Redis, installing Debian's packages once when one is missing. */
export function ensureServices(log: (line: string) => void): ServiceBinaries {
	let { found, missing } = findBinaries();
	if (missing.length === 0) return found as ServiceBinaries;
	log(`missing: ${missing.join('; ')}: installing ${APT_PACKAGES.join(' ')} with apt-get`);
	const sudo = isRoot()
		? []
		: spawnSync('sudo', ['-n', 'true']).status === 0
			? ['sudo', '-n']
			: undefined;
	if (!sudo) {
		throw new Error(
			`missing: ${missing.join('; ')}. Not root and no password-less sudo to install them: run ` +
				`\`apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}\` as root, then run this again.`,
		);
	}
	const apt = (args: string[]) => {
		const [cmd, ...rest] = [
			...sudo,
			'env',
			'DEBIAN_FRONTEND=noninteractive',
			'apt-get',
			'-o',
			'DPkg::Lock::Timeout=300',
			...args,
		];
		const r = spawnSync(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
		if (r.status !== 0) {
			throw new Error(
				`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal}); still missing: ${missing.join('; ')}\n` +
					`${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`,
			);
		}
	};
	apt(['update', '-qq']);
	apt(['install', '-y', '-qq', ...APT_PACKAGES]);
	({ found, missing } = findBinaries());
	if (missing.length)
		throw new Error(
			`apt-get installed ${APT_PACKAGES.join(' ')}, yet still missing: ${missing.join('; ')}`,
		);
	return found as ServiceBinaries;
}

// ------------------------------------------------------------------------------------------------ Postgres

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** n8n's environment for this database. */
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

function tail(file: string, lines = 30) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * initdb + pg_ctl in a temporary folder. Postgres refuses to run as root, so as root the cluster
 * belongs to the `postgres` user that Debian's package creates.
 */
export async function startPostgres(bins: ServiceBinaries): Promise<Postgres> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracy-queue-pg-'));
	const data = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	const pwFile = path.join(dir, 'pw');
	const user = 'n8n';
	const password = `e2e-${Math.random().toString(36).slice(2, 12)}`;
	const database = 'n8n';
	const port = await freePort();
	fs.writeFileSync(pwFile, `${password}\n`);
	let asUser: string[] = [];
	if (isRoot()) {
		if (spawnSync('id', ['-u', 'postgres']).status !== 0) {
			throw new Error(
				"Postgres refuses to run as root and there is no `postgres` user (Debian's postgresql package creates it)",
			);
		}
		spawnSync('chown', ['-R', 'postgres:', dir]);
		asUser = ['runuser', '-u', 'postgres', '--'];
	}
	const run = (args: string[], what: string) => {
		const [cmd, ...rest] = [...asUser, ...args];
		const r = spawnSync(cmd, rest, { encoding: 'utf8', cwd: dir });
		if (r.status !== 0) {
			throw new Error(
				`Postgres: ${what} failed (exit ${r.status ?? r.signal})\n${r.stdout}\n${r.stderr}\n--- ${logFile}\n${tail(logFile)}`,
			);
		}
		return r.stdout;
	};
	let started = false;
	const stop = async () => {
		if (started) {
			const [cmd, ...rest] = [
				...asUser,
				bins.pgCtl,
				'stop',
				'-D',
				data,
				'-m',
				'fast',
				'-w',
				'-t',
				'30',
			];
			spawnSync(cmd, rest, { encoding: 'utf8', cwd: dir });
			started = false;
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		run(
			[
				bins.initdb,
				'-D',
				data,
				'-U',
				user,
				`--pwfile=${pwFile}`,
				'--auth-host=scram-sha-256',
				'--auth-local=trust',
				'-E',
				'UTF8',
				'--no-instructions',
			],
			'initdb',
		);
		// a throw-away test database: durability is traded for speed; loopback and a socket in our folder only
		const options = [
			`-p ${port}`,
			'-c listen_addresses=127.0.0.1',
			`-c unix_socket_directories=${dir}`,
			'-c fsync=off',
			'-c synchronous_commit=off',
			'-c full_page_writes=off',
			'-c max_connections=100',
		].join(' ');
		run(
			[bins.pgCtl, 'start', '-D', data, '-l', logFile, '-w', '-t', '60', '-o', options],
			'pg_ctl start',
		);
		started = true;
		const psql = path.join(path.dirname(bins.pgCtl), 'psql');
		run(
			[
				fs.existsSync(psql) ? psql : 'psql',
				'-h',
				dir,
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				'postgres',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				`CREATE DATABASE ${database}`,
			],
			'CREATE DATABASE',
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		password,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		},
		stop,
	};
}

// ------------------------------------------------------------------------------------------------ Redis

export interface Redis {
	host: string;
	port: number;
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

/** One PING over the wire protocol: true on +PONG. */
function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(1000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d.toString();
			if (answer.includes('\r\n')) {
				socket.destroy();
				resolve(answer.startsWith('+PONG'));
			}
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/** redis-server in the foreground, our child, without persistence. */
export async function startRedis(bins: ServiceBinaries): Promise<Redis> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracy-queue-redis-'));
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const child: ChildProcess = spawn(
		bins.redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--logfile',
			logFile,
			'--daemonize',
			'no',
		],
		{ stdio: 'ignore' },
	);
	let exited = false;
	child.once('exit', () => (exited = true));
	const stop = async () => {
		if (!exited) {
			child.kill('SIGTERM');
			for (let i = 0; i < 50 && !exited; i++) await sleep(100);
			if (!exited) child.kill('SIGKILL');
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 20_000;
	while (!(await ping(port))) {
		if (exited || Date.now() > deadline) {
			const why = exited
				? `exited (${child.exitCode ?? child.signalCode})`
				: 'did not answer PING within 20 s';
			const log = tail(logFile);
			await stop();
			throw new Error(`Redis: redis-server on 127.0.0.1:${port} ${why}\n--- ${logFile}\n${log}`);
		}
		await sleep(100);
	}
	return {
		host: '127.0.0.1',
		port,
		n8nEnv: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop,
	};
}
