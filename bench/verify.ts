/**
 * Before anything is timed: each variant sends a few submissions to an emulator that logs requests,
 * and the requests are compared with the ones the Tracy node sent (method, path, key, body). A
 * comparison is only worth printing if the requests are the same.
 */
import type { IDataObject } from 'n8n-workflow';

import { startEmulator } from '../test/emulator/server';
import { submissions } from './fixtures';
import type { Target, VariantResult } from './variants';

export interface Sent {
	method: string;
	path: string;
	apiKey: string;
	body: unknown;
	status?: number;
}

export async function captureRequests(
	send: (t: Target, items: IDataObject[]) => Promise<VariantResult>,
	n = 3,
): Promise<Sent[]> {
	const emulator = await startEmulator();
	try {
		const result = await send(
			{ baseUrl: emulator.url, apiKey: emulator.keyFor('webform') },
			submissions(n),
		);
		if (result.error) throw new Error(`variant failed: ${JSON.stringify(result.error)}`);
		return emulator.requests.map((r) => ({
			method: r.method,
			path: r.path,
			apiKey: String(r.headers['x-api-key']),
			body: r.body,
			status: r.status,
		}));
	} finally {
		await emulator.stop();
	}
}

/** Sorted by body so that concurrent variants compare in the same order. */
export function sameRequests(a: Sent[], b: Sent[]): string | undefined {
	const key = (s: Sent) => JSON.stringify([s.method, s.path, s.apiKey, s.body, s.status]);
	const ka = a.map(key).sort();
	const kb = b.map(key).sort();
	if (ka.length !== kb.length) return `${ka.length} requests against ${kb.length}`;
	const i = ka.findIndex((k, j) => k !== kb[j]);
	return i === -1 ? undefined : `first difference: ${ka[i]} against ${kb[i]}`;
}
