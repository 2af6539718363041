import type {
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { tracyApiTest } from './methods/credentialTest';
import { searchDatasets, searchStates } from './methods/listSearch';
import { datasetLocator, simplifyOption, stateLocator } from './form/descriptions';
import { triggerId } from './trigger/api';
import type { TriggerEvent } from './trigger/poll';
import { DEFAULT_MAX_PER_POLL, MAX_WATCHED_RECORDS, pollRecords } from './trigger/poll';

export class TracyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tracy Trigger',
		name: 'tracyTrigger',
		icon: { light: 'file:tracy.svg', dark: 'file:tracy.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["event"] === "enteredState" ? "Record Entered State" : "New Record" }}',
		description: 'Starts the workflow when records are created in Tracy or enter a state (polling)',
		defaults: { name: 'Tracy Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tracyApi', required: true, testedBy: 'tracyApiTest' }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'New Record',
						value: 'newRecord',
						description:
							'A record created in the dataset since the last poll (for leads: a new lead)',
					},
					{
						name: 'Record Entered State',
						value: 'enteredState',
						description: 'A record that is in the state now and was not at the last poll',
					},
				],
				default: 'newRecord',
			},
			datasetLocator(),
			{
				displayName: 'Only in State Names or IDs',
				name: 'states',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getStates', loadOptionsDependsOn: ['dataset.value'] },
				default: [],
				description:
					'Only new records in one of these states when the poll finds them; none for any state. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { event: ['newRecord'] } },
			},
			stateLocator({
				required: true,
				description: 'The state to watch: each record that moves into it starts the workflow once',
				displayOptions: { show: { event: ['enteredState'] } },
			}),
			simplifyOption,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'At Most Records per Poll',
						name: 'maxPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_PER_POLL,
						description:
							'The most records one poll emits. After a bulk import or a long pause the rest follow on the next polls, oldest first, so none is lost.',
					},
					{
						displayName: 'On Reactivation',
						name: 'onReactivation',
						type: 'options',
						options: [
							{
								name: 'Emit What Was Missed',
								value: 'emitMissed',
								description:
									'Records created (or that entered the state) while the workflow was inactive are emitted',
							},
							{
								name: 'Start From Now',
								value: 'startFromNow',
								description: 'Only what happens after the workflow is activated again is emitted',
							},
						],
						default: 'emitMissed',
						description:
							'What to do with what happened while the workflow was inactive, when it is activated again. A restart of n8n always emits what was missed.',
					},
				],
			},
			{
				displayName: `Each poll reads the dataset with the credential's key, which needs a role that may view these records. New Record needs one small request when nothing is new; Record Entered State reads every record in the state (one request per 100) and watches at most ${MAX_WATCHED_RECORDS}.`,
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	methods = {
		credentialTest: { tracyApiTest },
		listSearch: { searchDatasets, searchStates },
		loadOptions: {
			async getStates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const { results } = await searchStates.call(this);
				return results.map((r) => ({ name: r.name, value: r.value }));
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as TriggerEvent;
		const datasetId = triggerId(
			this,
			this.getNodeParameter('dataset', undefined, { extractValue: true }),
			'Dataset',
		);
		const stateIds =
			event === 'enteredState'
				? [
						triggerId(
							this,
							this.getNodeParameter('state', undefined, { extractValue: true }),
							'State',
						),
					]
				: ((this.getNodeParameter('states', []) as unknown[]) ?? []).map((s) =>
						triggerId(this, s, 'Only in States'),
					);
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const options = this.getNodeParameter('options', {}) as {
			maxPerPoll?: number;
			onReactivation?: string;
		};
		const maxPerPoll = Math.max(
			1,
			Math.floor(Number(options.maxPerPoll ?? DEFAULT_MAX_PER_POLL)) || DEFAULT_MAX_PER_POLL,
		);
		const startFromNow = options.onReactivation === 'startFromNow';
		return await pollRecords(this, {
			event,
			datasetId,
			stateIds,
			simplify,
			maxPerPoll,
			startFromNow,
		});
	}
}
