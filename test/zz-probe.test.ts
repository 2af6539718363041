import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode, safeStringify } from './harness';
import { credentialsFor, getParams } from './helpers';
let emulator: TracyEmulator;
beforeAll(async () => { emulator = await startEmulator(); });
afterAll(async () => emulator.stop());
it('probe', async () => {
	for (const f of [{ socket: 'reset' }, { socket: 'resetMidBody' }, { socket: 'hang' }, { status: 200, body: '{"id": 1, "da', headers: { 'Content-Type': 'application/json' } }, { status: 200, body: '' }, { status: 200, body: 'hello' }] as const) {
		emulator.reset();
		emulator.faults.push({ match: () => true, status: 200, times: 1, ...(f as object) });
		const r = await runNode({ parameters: getParams(1, { requestOptions: { timeout: 300 } }), credentials: credentialsFor(emulator, 'owner') });
		const e = r.error as any;
		console.log(JSON.stringify(f), r.items.map((i) => safeStringify(i.json).slice(0, 100)), e?.constructor?.name, e?.message, e?.httpCode, e?.cause?.code, e?.cause?.message, e?.code);
	}
}, 30000);
