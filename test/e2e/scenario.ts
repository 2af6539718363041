/**
 * The end-to-end runner's bookkeeping: named scenarios with checks, skips, a name filter, and the
 * closing summary line that CI reads. Scenarios live in `run-e2e.ts` and in `suites/`.
 */
import type { ReceivedRequest, TracyEmulator } from '../emulator/server';
import type { CliResult, Execution, N8nInstall, N8nUserFolder, NodeRun } from './n8n';
import { formatOutput, leftoverGroups, resultData } from './n8n';
import type { CredentialRef } from './workflows';

/** What every suite in `suites/` gets: n8n's user folder with the package installed, the emulator, the credentials. */
export interface E2eContext {
	install: N8nInstall;
	emulator: TracyEmulator;
	folder: N8nUserFolder;
	/** `resource.operation` pairs the built node offers. */
	ops: Set<string>;
	/** Imported before the suites run: sales (reads and writes), webform (create only), wrong (revoked). */
	credentials: { sales: CredentialRef; webform: CredentialRef; wrong: CredentialRef };
}

export type Suite = (ctx: E2eContext) => Promise<void>;

export class Check {
	readonly failures: string[] = [];
	passed = 0;

	that(ok: unknown, what: string) {
		if (ok) this.passed++;
		else this.failures.push(what);
	}

	equal(actual: unknown, expected: unknown, what: string) {
		const a = JSON.stringify(actual);
		const e = JSON.stringify(expected);
		this.that(a === e, `${what}: expected ${e}, got ${a}`);
	}
}

export interface ScenarioResult {
	name: string;
	ok: boolean;
	ms: number;
	skipped?: string;
}

export const results: ScenarioResult[] = [];

/**
 * `npm run test:e2e -- --only=Trigger` (or N8N_E2E_ONLY=Trigger) runs only the scenarios whose
 * name contains one of the comma-separated words; suites can ask `selected()` to skip their set-up.
 */
const only = (
	process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ??
	process.env.N8N_E2E_ONLY ??
	''
)
	.split(',')
	.map((s) => s.trim().toLowerCase())
	.filter(Boolean);

export function selected(name: string): boolean {
	return only.length === 0 || only.some((word) => name.toLowerCase().includes(word));
}

export function querySuffix(r: ReceivedRequest) {
	const q = new URLSearchParams(r.query).toString();
	return q ? `?${q}` : '';
}

function isCliResult(value: unknown): value is CliResult {
	return Boolean(
		value && typeof value === 'object' && 'args' in value && 'stdout' in value && 'stderr' in value,
	);
}

/**
 * Runs one scenario and its checks. `run` does the work (an `n8n execute`, HTTP calls to a running
 * n8n, …); `checks` gets its result and the requests the emulator received meanwhile. On any failure
 * prints n8n's output (when `run` returned a CLI result) and what the emulator received, then goes on.
 */
export async function scenario<T>(
	name: string,
	emulator: TracyEmulator,
	run: () => Promise<T>,
	checks: (c: Check, out: T & { requests: ReceivedRequest[] }) => void | Promise<void>,
	options: { onFailure?: () => string } = {},
) {
	if (!selected(name)) return;
	const started = Date.now();
	const before = emulator.requests.length;
	process.stdout.write(`\n▶ ${name}\n`);
	let result: T | undefined;
	const c = new Check();
	try {
		result = await run();
		await checks(c, { ...(result as T), requests: emulator.requests.slice(before) });
	} catch (error) {
		c.failures.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
	}
	const ms = Date.now() - started;
	const ok = c.failures.length === 0;
	results.push({ name, ok, ms });
	const cliMs = isCliResult(result) ? ` (n8n: ${result.ms} ms)` : '';
	if (ok) {
		process.stdout.write(`  ✓ ${c.passed} checks, ${ms} ms${cliMs}\n`);
		return;
	}
	process.stdout.write(`  ✗ FAILED after ${ms} ms\n`);
	for (const f of c.failures) process.stdout.write(`    - ${f.replace(/\n/g, '\n      ')}\n`);
	if (isCliResult(result)) process.stdout.write(`${formatOutput(result)}\n`);
	if (options.onFailure) process.stdout.write(`${options.onFailure()}\n`);
	process.stdout.write('  emulator received:\n');
	for (const r of emulator.requests.slice(before)) {
		process.stdout.write(
			`    ${r.method} ${r.path}${querySuffix(r)} -> ${r.status} ${r.rawBody ? r.rawBody.slice(0, 300) : ''}\n`,
		);
	}
}

export function skip(name: string, reason: string) {
	if (!selected(name)) return;
	results.push({ name, ok: true, ms: 0, skipped: reason });
	process.stdout.write(`\n▷ ${name}\n  skipped: ${reason}\n`);
}

export function nodeRun(execution: Execution, nodeName: string): NodeRun {
	const run = resultData(execution).runData[nodeName]?.[0];
	if (!run)
		throw new Error(
			`node "${nodeName}" did not run; nodes that ran: ${Object.keys(resultData(execution).runData).join(', ')}`,
		);
	return run;
}

export function outputItems(execution: Execution, nodeName: string) {
	return (nodeRun(execution, nodeName).data?.main?.[0] ?? []).map((i) => i.json);
}

/**
 * The closing line CI reads ("N scenarios passed, N failed, N skipped (…)"), after checking that no n8n
 * process is left; returns whether the run failed (a failed set-up, a failed scenario, or none ran).
 */
export function summarize(setUpFailed: boolean, detail: string): boolean {
	let failed = setUpFailed;
	const left = leftoverGroups();
	if (left.length) {
		failed = true;
		console.error(`✗ n8n process groups still running after clean-up: ${left.join(', ')}`);
	}
	const bad = results.filter((r) => !r.ok);
	const ran = results.filter((r) => !r.skipped);
	failed ||= bad.length > 0 || ran.length === 0;
	console.log(
		`\n${ran.length - bad.length} scenarios passed, ${bad.length} failed, ${results.length - ran.length} skipped (${detail})`,
	);
	return failed;
}
