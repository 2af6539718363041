/**
 * One record per person, at the same moment too: Create or Update, Lead → Create or Update and
 * Skip if Exists of executions that overlap (two, five, twenty at once, Tracy slow to answer the
 * look-up) in one n8n process, and in several (another copy of the node's module, with state of
 * its own, stands for another process in queue mode). Records are counted in the emulator.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import type { RunResult } from './harness';
import { runNode } from './harness';
import { anotherProcess, credentialsFor, mapperValue, rl, webFormLead } from './helpers';
import { heldMatchKeys } from '../nodes/Tracy/engine/matchLocks';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const sales = () => credentialsFor(emulator, 'sales');

const columns = (value: IDataObject, matchingColumns: string[]) =>
	mapperValue(value, matchingColumns);

/** Lead → Create or Update, matching on Email (property 2). */
const upsertLead = (name: string, email: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'lead',
	operation: 'upsert',
	dataset: rl(1),
	upsertColumns: columns({ 1: name, 2: email }, ['2']),
	...extra,
});

/** Lead → Create with Skip if Exists, the web-form way. */
const skipIfExists = (): INodeParameters =>
	webFormLead(
		{ options: { skipIfExists: true } },
		{ name: '={{ $json.name }}', email: '={{ $json.email }}' },
	);

/** Leads outside the trash with this email, and those in it. */
function leadsWith(email: string) {
	const all = emulator
		.storedRecords(1)
		.filter((r) =>
			(r.datums as Array<{ property: { id: number }; value: unknown }>).some(
				(d) => d.property.id === 2 && String(d.value).toLowerCase() === email.toLowerCase(),
			),
		);
	return { active: all.filter((r) => !r.removed), trashed: all.filter((r) => r.removed) };
}

const count = (method: string, path: string) =>
	emulator.requests.filter((r) => r.method === method && r.path === path).length;

/** Tracy slow to answer the look-up, so that executions overlap there. */
const slowLookUp = (ms = 150) =>
	emulator.delays.push({ match: (r) => r.method === 'GET' && r.path === '/v1/records', ms });

const okItems = (results: RunResult[]) => {
	for (const r of results) expect(r.error).toBeUndefined();
	return results.map((r) => r.items[0].json);
};

describe('one process: executions with the same match values go one after the other', () => {
	it.each([2, 5, 20])(
		'%i executions of Create or Update at once, with the same email: one record, one create',
		async (n) => {
			slowLookUp();
			const results = await Promise.all(
				Array.from({ length: n }, (_, i) =>
					runNode({
						parameters: upsertLead(`Twin ${i}`, 'twin@example.com'),
						credentials: sales(),
					}),
				),
			);
			const out = okItems(results);
			expect(leadsWith('twin@example.com').active).toHaveLength(1);
			expect(leadsWith('twin@example.com').trashed).toHaveLength(0);
			expect(count('POST', '/v1/records')).toBe(1);
			expect(out.filter((j) => j.created === true)).toHaveLength(1);
			expect(out.filter((j) => j.created === false)).toHaveLength(n - 1);
			// every execution ended up with the same record
			expect(new Set(out.map((j) => j.id)).size).toBe(1);
			expect(heldMatchKeys()).toBe(0);
		},
	);

	it('executions with different emails do not wait for each other', async () => {
		slowLookUp(200);
		const results = await Promise.all(
			Array.from({ length: 5 }, (_, i) =>
				runNode({ parameters: upsertLead(`P ${i}`, `p${i}@example.com`), credentials: sales() }),
			),
		);
		okItems(results);
		const lookUps = emulator.requests.filter(
			(r) => r.method === 'GET' && r.path === '/v1/records' && r.query['property[2]'] !== undefined,
		);
		// the five first look-ups were in Tracy's hands together
		expect(Math.max(...lookUps.map((r) => r.inFlight ?? 0))).toBeGreaterThanOrEqual(5);
		for (let i = 0; i < 5; i++) expect(leadsWith(`p${i}@example.com`).active).toHaveLength(1);
	});

	it('Skip if Exists and Create or Update of two executions at once, the same email in other letter case and with spaces: one lead', async () => {
		slowLookUp();
		const results = await Promise.all([
			runNode({
				parameters: skipIfExists(),
				credentials: sales(),
				items: [{ name: 'Form Person', email: 'Form@Example.com ' }],
			}),
			runNode({
				parameters: upsertLead('Sheet Person', ' form@example.com'),
				credentials: sales(),
			}),
			runNode({
				parameters: skipIfExists(),
				credentials: sales(),
				items: [{ name: 'Form Person', email: 'form@example.com' }],
			}),
		]);
		const out = okItems(results);
		expect(leadsWith('form@example.com').active).toHaveLength(1);
		expect(count('POST', '/v1/records')).toBe(1);
		expect(out.filter((j) => j.created === true)).toHaveLength(1);
	});
});

describe('several processes: the twin made at the same moment is merged into the oldest', () => {
	it.each([2, 5])(
		'%i processes create the same lead at once: the oldest record stays, the others go to the trash, each output says so',
		async (n) => {
			// every look-up answers after every process has asked: all find nothing and create
			slowLookUp(300);
			const processes = Array.from({ length: n }, anotherProcess);
			const results = await Promise.all(
				processes.map(
					async (nodeType, i) =>
						await runNode({
							parameters: upsertLead(`Worker ${i}`, 'queue@example.com', {
								upsertColumns: columns(
									{ 1: `Worker ${i}`, 2: 'queue@example.com', 13: String(i) },
									['2'],
								),
							}),
							credentials: sales(),
							nodeType,
						}),
				),
			);
			const out = okItems(results);
			const { active, trashed } = leadsWith('queue@example.com');
			expect(count('POST', '/v1/records')).toBe(n);
			expect(active).toHaveLength(1);
			expect(trashed).toHaveLength(n - 1);
			const kept = active[0].id;
			expect(Math.min(...[...active, ...trashed].map((r) => r.id as number))).toBe(kept);
			expect(count('DELETE', `/v1/records/${kept}`)).toBe(0);
			expect(emulator.requests.filter((r) => r.method === 'DELETE')).toHaveLength(n - 1);
			const created = out.filter((j) => j.created === true);
			const merged = out.filter((j) => j.merged === true);
			expect(created).toHaveLength(1);
			expect(merged).toHaveLength(n - 1);
			expect(created[0].id).toBe(kept);
			for (const m of merged) {
				expect(m.id).toBe(kept);
				expect(trashed.map((r) => r.id)).toContain(m.mergedFrom);
			}
		},
	);

	it('Skip if Exists in two processes at once: one lead; the second returns it as existing, merged', async () => {
		slowLookUp(300);
		const results = await Promise.all(
			[anotherProcess(), anotherProcess()].map(
				async (nodeType) =>
					await runNode({
						parameters: skipIfExists(),
						credentials: sales(),
						items: [{ name: 'Double Click', email: 'double@example.com' }],
						nodeType,
					}),
			),
		);
		const out = okItems(results);
		expect(leadsWith('double@example.com').active).toHaveLength(1);
		expect(leadsWith('double@example.com').trashed).toHaveLength(1);
		const merged = out.find((j) => j.merged === true);
		expect(merged).toMatchObject({ created: false, existing: true });
		expect(out.find((j) => j.created === true)?.id).toBe(merged?.id);
	});

	it('a key that may not delete: the twin stays, and the item fails saying which record to delete', async () => {
		slowLookUp(300);
		emulator.faults.push({
			match: (r) => r.method === 'DELETE',
			status: 403,
			body: { message: 'Forbidden', permission: 'delete' },
			times: Infinity,
		});
		const results = await Promise.all(
			[anotherProcess(), anotherProcess()].map(
				async (nodeType, i) =>
					await runNode({
						parameters: upsertLead(`Worker ${i}`, 'nodelete@example.com'),
						credentials: sales(),
						nodeType,
					}),
			),
		);
		const failed = results.filter((r) => r.error);
		expect(failed).toHaveLength(1);
		const [older, newer] = leadsWith('nodelete@example.com').active.map((r) => r.id);
		expect(failed[0].error?.message).toBe(
			`Record ${newer} was created at the same moment as record ${older} (Email = "nodelete@example.com"), and could not be moved to the trash`,
		);
		expect(failed[0].error?.description).toContain(`Record ${newer} is a twin: delete it in Tracy`);
	});
});

describe('Create or Update: match values as Tracy compares them', () => {
	const company = (value: IDataObject, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'record',
		operation: 'upsert',
		dataset: rl(2),
		upsertColumns: columns(value, ['32']),
		...extra,
	});

	it('"AE-1 " from a spreadsheet cell finds AE-1 and updates it, without rewriting the ID', async () => {
		const result = await runNode({
			parameters: company({ 32: 'AE-1 ', 30: 99 }),
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(
			emulator.requests.find((r) => r.method === 'GET' && r.path === '/v1/records')?.query,
		).toMatchObject({
			'property[32]': 'AE-1',
		});
		expect(count('POST', '/v1/records')).toBe(0);
		const puts = emulator.requests.filter((r) => r.method === 'PUT');
		expect(puts.map((r) => (r.body as { value: unknown }).value)).toEqual([99]);
		expect(result.items[0].json).toMatchObject({ id: 6, created: false, changed: ['Employees'] });
	});

	it('an email matched in another letter case keeps the stored case', async () => {
		const result = await runNode({
			parameters: upsertLead('Ada Lovelace', 'ADA@Example.com'),
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
		expect(result.items[0].json).toMatchObject({ id: 1, Email: 'ada@example.com', changed: [] });
	});

	it('the only match in the trash: a new record by default; restored with Match in the Trash › Restore It', async () => {
		const del = await runNode({
			parameters: { resource: 'record', operation: 'delete', recordId: rl(1) },
			credentials: sales(),
		});
		expect(del.error).toBeUndefined();
		emulator.requests.length = 0;
		const restored = await runNode({
			parameters: upsertLead('Ada Restored', 'ada@example.com', {
				options: { matchInTrash: 'restore' },
			}),
			credentials: sales(),
		});
		expect(restored.error).toBeUndefined();
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /v1/datasets/1',
			'GET /v1/records',
			'GET /v1/records',
			'PUT /v1/records',
			'PUT /v1/datums',
		]);
		expect(emulator.requests[2].query).toMatchObject({
			removed: 'true',
			'property[2]': 'ada@example.com',
		});
		expect(emulator.requests[3].body).toEqual({ id: 1, removed: null });
		expect(restored.items[0].json).toMatchObject({
			id: 1,
			Name: 'Ada Restored',
			created: false,
			restored: true,
			changed: ['Name'],
		});
		expect(leadsWith('ada@example.com')).toMatchObject({ trashed: [] });

		await runNode({
			parameters: { resource: 'record', operation: 'delete', recordId: rl(1) },
			credentials: sales(),
		});
		const created = await runNode({
			parameters: upsertLead('Ada Again', 'ada@example.com'),
			credentials: sales(),
		});
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({ created: true, Name: 'Ada Again' });
		expect(created.items[0].json.id).not.toBe(1);
		expect(leadsWith('ada@example.com').trashed.map((r) => r.id)).toEqual([1]);
	});

	it('the state field of Create or Update says it is for new records only', async () => {
		const { Tracy } = await import('../nodes/Tracy/Tracy.node');
		const state = new Tracy().description.properties.find(
			(p) => p.name === 'state' && p.displayOptions?.show?.operation?.includes('upsert'),
		);
		expect(state?.displayName).toBe('State for New Records');
		expect(state?.description).toContain('A record that is found keeps its state');
	});
});
