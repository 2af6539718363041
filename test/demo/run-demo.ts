/**
 * `npm start`: runs a small workflow with the Tracy node through n8n's engine against the Tracy
 * emulator and prints what Tracy answered. Set TRACY_BASE_URL and TRACY_API_KEY to point the
 * same run at another Tracy (the emulator is then not started).
 */
import { startEmulator } from '../emulator/server';
import { runNode } from '../harness';

process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';

async function main() {
	const external = process.env.TRACY_BASE_URL;
	const emulator = external ? undefined : await startEmulator();
	const baseUrl = external ?? emulator!.url;
	const apiKey = process.env.TRACY_API_KEY ?? emulator?.keyFor('sales') ?? '';
	console.log(`Tracy: ${external ? baseUrl : `emulator at ${baseUrl} (demo workspace)`}\n`);
	try {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'get',
				recordId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				simplify: true,
			},
			items: [{ id: 1 }, { id: 2 }],
			credentials: { apiKey, baseUrl },
		});
		if (result.error) throw result.error;
		console.log('Record → Get, simplified, for records 1 and 2:');
		for (const item of result.items) console.log(JSON.stringify(item.json));
		if (emulator) {
			console.log(`\nThe emulator received ${emulator.requests.length} requests:`);
			for (const r of emulator.requests) console.log(`  ${r.method} ${r.path} -> ${r.status}`);
		}
	} finally {
		await emulator?.stop();
	}
}

main().catch((error: Error & { description?: string }) => {
	console.error(`Demo failed: ${error.message}${error.description ? `\n${error.description}` : ''}`);
	process.exit(1);
});
