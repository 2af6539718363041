import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { tracyApiTest } from './methods/credentialTest';
import { simplifyOption } from './form/descriptions';
import { AUTOMATION_SECRET_HEADER, AUTOMATION_SECRET_QUERY } from './contract/assumptions';
import { recordJson } from './data/simplify';
import { getRecord } from './trigger/api';
import { findRecordId, recordIdPaths, secretsMatch } from './automation/payload';

const MIN_SECRET_LENGTH = 16;
const SECRET_CREDENTIAL = 'tracyAutomationSecretApi';

/** The secret calls must carry: the credential's when one is chosen, else the parameter kept for older workflows. */
async function expectedSecret(
	ctx: IHookFunctions | IWebhookFunctions,
): Promise<{ secret: string; from: string }> {
	if (ctx.getNode().credentials?.[SECRET_CREDENTIAL]) {
		const credential = await ctx.getCredentials<{ secret?: string }>(SECRET_CREDENTIAL);
		return {
			secret: String(credential.secret ?? ''),
			from: 'secret of the Tracy Automation Secret API credential',
		};
	}
	return { secret: String(ctx.getNodeParameter('secret', '') ?? ''), from: 'Secret' };
}

/** The credential's test: nothing is sent anywhere, the secret only has to be long enough to guard the URL. */
async function tracyAutomationSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secret = String(credential.data?.secret ?? '');
	return secret.length >= MIN_SECRET_LENGTH
		? {
				status: 'OK',
				message: 'The secret is long enough. Send the same one from the Automation in Tracy.',
			}
		: {
				status: 'Error',
				message: `The secret has ${secret.length} characters: use at least ${MIN_SECRET_LENGTH} (for example 32 random letters and digits)`,
			};
}

export class TracyAutomationTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tracy Automation Trigger',
		name: 'tracyAutomationTrigger',
		icon: { light: 'file:tracy.svg', dark: 'file:tracy.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Automation call',
		description: "Starts the workflow when a Tracy Automation's HTTP request action calls it",
		defaults: { name: 'Tracy Automation Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				// recommended over the Secret parameter: it keeps the secret out of the workflow's JSON
				name: 'tracyAutomationSecretApi',
				required: false,
				testedBy: 'tracyAutomationSecretTest',
			},
			{
				name: 'tracyApi',
				required: true,
				testedBy: 'tracyApiTest',
				displayOptions: { show: { fetchRecord: [true] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// the node answers itself, before reading the record
				responseMode: 'onReceived',
				path: 'tracy-automation',
			},
		],
		properties: [
			{
				displayName: `Choose a Tracy Automation Secret API credential above. In Tracy, give the Automation's "HTTP request" action the Production URL above and the secret as an ${AUTOMATION_SECRET_HEADER} header (or, if the action has no headers, after the URL as ?${AUTOMATION_SECRET_QUERY}=). Calls without it are refused (401, or 403 for a wrong one) and start nothing.`,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret (Without a Credential)',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'For workflows made before the credential: the secret as a parameter, which is saved in the workflow and its exports. Ignored when a Tracy Automation Secret API credential is chosen; leave it empty then.',
			},
			{
				displayName: 'Fetch Full Record',
				name: 'fetchRecord',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the record named in the call through Tracy\'s API and output it as "record" (the call\'s own payload is undocumented and is output as received under "payload")',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Record ID Field',
						name: 'recordIdField',
						type: 'string',
						default: '',
						placeholder: 'e.g. data.recordId',
						description:
							'Where the payload holds the record ID, as a dot path. Empty: recordId, record_id, or the ID under record, under data or at the top of the payload, whichever comes first.',
					},
					simplifyOption,
				],
			},
		],
	};

	methods = {
		credentialTest: { tracyApiTest, tracyAutomationSecretTest },
	};

	webhookMethods = {
		default: {
			// Automations are set up in Tracy by hand (its API for them is not documented): nothing is
			// registered there, so activation only checks that calls can be told apart from strangers
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { secret, from } = await expectedSecret(this);
				if (secret.length < MIN_SECRET_LENGTH) {
					throw new NodeOperationError(
						this.getNode(),
						`The ${from} must be at least ${MIN_SECRET_LENGTH} characters long`,
						{
							description:
								'It is all that keeps others from starting this workflow: choose a Tracy Automation Secret API credential with a long random string, and send the same one from the Automation in Tracy.',
						},
					);
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// the Automation stays in Tracy; its calls are answered 404 by n8n while the workflow is inactive
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const answer = (status: number, body: IDataObject) => {
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(JSON.stringify(body));
		};

		const { secret: expected } = await expectedSecret(this);
		const query = (this.getQueryData() ?? {}) as IDataObject;
		const header = this.getHeaderData()[AUTOMATION_SECRET_HEADER];
		const given = [query[AUTOMATION_SECRET_QUERY], Array.isArray(header) ? header[0] : header].find(
			(v) => typeof v === 'string' && v !== '',
		) as string | undefined;
		if (!expected || given === undefined) {
			answer(401, {
				message: `Missing secret: call this URL with ?${AUTOMATION_SECRET_QUERY}=<the trigger's secret>`,
			});
			return { noWebhookResponse: true };
		}
		if (!secretsMatch(given, expected)) {
			answer(403, { message: 'Wrong secret' });
			return { noWebhookResponse: true };
		}

		// Tracy gets its answer now; reading the record must not hold up its automation
		answer(200, { received: true });

		const payload = this.getBodyData() ?? {};
		const fetchRecord = this.getNodeParameter('fetchRecord', true) as boolean;
		const options = this.getNodeParameter('options', {}) as {
			recordIdField?: string;
			simplify?: boolean;
		};
		const recordId = findRecordId(payload, options.recordIdField);
		const json: IDataObject = { ...(recordId !== undefined ? { recordId } : {}) };
		if (fetchRecord && recordId === undefined) {
			// the workflow runs, but says plainly that it has no record, rather than an empty `record`
			json.record = null;
			json.fetchError = {
				message: 'no record ID in the call',
				description: `Looked for a record ID at: ${recordIdPaths(options.recordIdField).join(', ')} (a top-level "id" only in a body that has "dataset" or "datums"). Set Options → Record ID Field to where the automation puts it.`,
			};
		}
		if (fetchRecord && recordId !== undefined) {
			try {
				json.record = recordJson(await getRecord(this, recordId), options.simplify !== false);
			} catch (error) {
				// the call was accepted: the workflow still runs, and says why the record is missing
				const e = error as Partial<NodeApiError> & Error;
				json.record = null;
				json.fetchError = {
					message: e.message,
					...(e.description ? { description: e.description } : {}),
					...(e instanceof NodeApiError && e.httpCode ? { httpCode: e.httpCode } : {}),
				};
			}
		}
		json.payload = payload;
		return { noWebhookResponse: true, workflowData: [[{ json }]] };
	}
}
