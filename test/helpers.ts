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

/** The web-form workflow's Tracy node: friendly fields from the form, mapped to Leads properties by ID. */
export const webFormLead = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'lead',
	operation: 'create',
	dataset: rl(1),
	leadFields: {
		name: '={{ $json.name }}',
		email: '={{ $json.email }}',
		phone: '={{ $json.phone }}',
		message: '={{ $json.message }}',
		utmSource: '={{ $json.utm_source }}',
		utmCampaign: '={{ $json.utm_campaign }}',
	},
	propertyMapping: {
		name: rl(1),
		email: rl(2),
		phone: rl(3),
		message: rl(5),
		utmSource: rl(7),
		utmCampaign: rl(9),
	},
	...extra,
});
