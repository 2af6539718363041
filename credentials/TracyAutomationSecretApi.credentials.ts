import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret a Tracy Automation sends when it calls the Tracy Automation Trigger. Kept here, not in
 * a node parameter, so that it stays out of the workflow's JSON, its exports and its history. Its
 * test is the trigger's `tracyAutomationSecretTest` (testedBy): nothing is sent anywhere, it only
 * checks that the secret is long enough.
 */
export class TracyAutomationSecretApi implements ICredentialType {
	name = 'tracyAutomationSecretApi';

	displayName = 'Tracy Automation Secret API';

	icon: Icon = {
		light: 'file:../nodes/Tracy/tracy.svg',
		dark: 'file:../nodes/Tracy/tracy.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-tracy/n8n-nodes-tracy#tracy-automation-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A long random string (at least 16 characters, for example 32 letters and digits). The Automation in Tracy sends it as the X-Tracy-Secret header, or as ?secret= in the URL it calls.',
		},
	];
}
