/** The node's description: every operation's form is what its own files declare. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { leadFields, leadOperations } from '../nodes/Tracy/resources/lead';
import { recordFields, recordOperations } from '../nodes/Tracy/resources/record';
import { Tracy } from '../nodes/Tracy/Tracy.node';

const description = new Tracy().description;
const declared = [...recordFields, ...leadFields];
const operations = [recordOperations, leadOperations].flatMap((o) =>
	(o.options as INodePropertyOptions[]).map((option) => [o.displayOptions!.show!.resource![0] as string, String(option.value)]),
);

function form(properties: INodeProperties[], resource: string, operation: string) {
	const parameters = { resource, operation, email: 'x' };
	return properties
		.filter((p) => NodeHelpers.displayParameter(parameters, p, { typeVersion: 1 } as never, description))
		.map((p) => `${p.name}:${p.displayName}:${p.required ? 'required' : ''}`);
}

describe('node description', () => {
	it.each(operations)('%s → %s shows the same fields, in the same order, as its files declare', (resource, operation) => {
		const shown = form(description.properties, resource, operation).filter((f) => !/^(resource|operation|requestOptions):/.test(f));
		expect(shown).toEqual(form(declared, resource, operation));
		expect(shown.length).toBeGreaterThan(0);
	});

	it('folds identical copies of a field into one property', () => {
		expect(description.properties.length).toBeLessThan(declared.length);
		const simplify = description.properties.filter((p) => p.name === 'simplify');
		expect(simplify).toHaveLength(1);
	});

	it('has an action text for every operation and no data expressions on resource and operation', () => {
		for (const o of [recordOperations, leadOperations]) {
			expect(o.noDataExpression).toBe(true);
			for (const option of o.options as INodePropertyOptions[]) expect(option.action).toBeTruthy();
		}
	});
});
