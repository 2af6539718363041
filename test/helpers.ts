import type { INodeParameters } from 'n8n-workflow';

import type { TracyEmulator } from './emulator/server';
import type { CredentialData } from './harness';

export function credentialsFor(emulator: TracyEmulator, key: Parameters<TracyEmulator['keyFor']>[0], baseUrl = emulator.url): CredentialData {
	return { apiKey: emulator.keyFor(key), baseUrl };
}

export const rl = (value: string | number, mode = 'id') => ({ __rl: true, mode, value: String(value) });

export function getParams(id: string | number, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'record', operation: 'get', recordId: rl(id), ...extra };
}
