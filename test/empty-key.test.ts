import { listSearch, runNode, testCredential } from './harness';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { rl, webFormLead } from './helpers';
import { PollingTrigger } from './trigger-harness';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const MESSAGE = 'The API Key field of the Tracy API credential "Tracy account" is empty';
const lead = { name: 'Ada Lovelace', email: 'ada@example.com' };

describe('an empty API key is refused before anything is sent, naming the credential', () => {
	test.each([
		['empty', ''],
		['only spaces', '   '],
	])(
		'Lead → Create with a key that is %s: the item fails, Tracy receives nothing',
		async (_, apiKey) => {
			const result = await runNode({
				parameters: webFormLead(),
				items: [lead],
				credentials: { apiKey, baseUrl: emulator.url },
			});
			expect(result.error?.message).toBe(MESSAGE);
			expect(result.error?.description).toContain('Nothing was sent');
			expect(emulator.requests).toHaveLength(0);
		},
	);

	test('with Continue On Fail, each item gets the error, paired to it', async () => {
		const result = await runNode({
			parameters: webFormLead(),
			items: [lead, { ...lead, email: 'b@example.com' }],
			credentials: { apiKey: '', baseUrl: emulator.url },
			onError: 'continueRegularOutput',
		});
		expect(result.items.map((i) => [i.json.message, i.pairedItem])).toEqual([
			[MESSAGE, { item: 0 }],
			[MESSAGE, { item: 1 }],
		]);
		expect(emulator.requests).toHaveLength(0);
	});

	test('a request a hook makes (Record → Get Many, a From List search) is refused the same way', async () => {
		const list = await runNode({
			parameters: { resource: 'record', operation: 'getAll', dataset: rl(1) },
			credentials: { apiKey: ' ', baseUrl: emulator.url },
		});
		expect(list.error?.message).toBe(MESSAGE);
		await expect(
			listSearch('searchDatasets', {}, { apiKey: '', baseUrl: emulator.url }),
		).rejects.toThrow('The API Key field of the Tracy API credential');
		expect(emulator.requests).toHaveLength(0);
	});

	test('the Tracy Trigger refuses to poll with it', async () => {
		const trigger = new PollingTrigger(
			{ event: 'newRecord', dataset: rl(1) },
			{ apiKey: '', baseUrl: emulator.url },
		);
		await expect(trigger.activate()).rejects.toThrow(
			'The API Key field of the Tracy API credential',
		);
		expect(emulator.requests).toHaveLength(0);
	});

	test('the credential test says so, and sends nothing', async () => {
		const result = await testCredential({ apiKey: '  ', baseUrl: emulator.url });
		expect(result).toEqual({
			status: 'Error',
			message: `${MESSAGE}. Nothing was sent. Paste the key from Tracy support into the credential (an expression in it resolved to nothing, or only spaces).`,
		});
		expect(emulator.requests).toHaveLength(0);
	});
});
