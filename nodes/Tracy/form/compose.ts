import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * The node's form, composed from its resources and their operations. Each operation file says
 * which fields its form shows, in order; each field is declared once (shared ones in
 * form/fields.ts), and here it is shown for exactly the operations that list it.
 */

/**
 * An operation file: its entry in the Operation list with the subtitle it declares beside its name
 * (the line under the node on the canvas), and the fields of its form in the order shown.
 */
export interface OperationFile {
	operation: INodePropertyOptions & { subtitle: string };
	fields: INodeProperties[];
}

export interface Resource {
	/** The entry in the Resource list. */
	option: INodePropertyOptions & { value: string };
	/** The Operation list of this resource. */
	operations: INodeProperties;
	/** Each field of the resource's forms, once, with the operations that show it. */
	fields: Array<{ field: INodeProperties; operations: string[] }>;
	files: OperationFile[];
}

/** The subtitle is the node's, not the Operation list's: n8n gets the option without it. */
function listedOption({ operation }: OperationFile): INodePropertyOptions {
	const option: Partial<OperationFile['operation']> = { ...operation };
	delete option.subtitle;
	return option as INodePropertyOptions;
}

/** A resource from its operation files, in the order of its Operation list. */
export function tracyResource(
	option: INodePropertyOptions & { value: string },
	defaultOperation: string,
	files: OperationFile[],
): Resource {
	const fields = new Map<INodeProperties, string[]>();
	for (const { operation, fields: own } of files)
		for (const field of own)
			fields.set(field, [...(fields.get(field) ?? []), String(operation.value)]);
	return {
		option,
		operations: {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [option.value] } },
			default: defaultOperation,
			options: files.map(listedOption),
		},
		fields: [...fields].map(([field, operations]) => ({ field, operations })),
		files,
	};
}

/** `displayOptions` for the given resources and operations, besides the field's own conditions. */
function shownFor(resources: string[], operations: string[], own: IDisplayOptions = {}) {
	return { ...own, show: { ...(own.show ?? {}), resource: resources, operation: operations } };
}

/**
 * Every field once, in an order that keeps each operation's form in its own order: a field comes
 * after every field listed before it by any operation (ties in the order first met). n8n matches
 * resource and operation separately, so a field two resources share must be listed by the same
 * operations of both where both have them; otherwise the composition refuses to load.
 */
export function composeFields(resources: Resource[]): INodeProperties[] {
	const uses = new Map<INodeProperties, Map<string, string[]>>();
	const after = new Map<INodeProperties, Set<INodeProperties>>();
	const firstMet: INodeProperties[] = [];
	for (const resource of resources) {
		for (const { field, operations } of resource.fields) {
			if (!uses.has(field)) {
				uses.set(field, new Map());
				after.set(field, new Set());
				firstMet.push(field);
			}
			uses.get(field)!.set(resource.option.value, operations);
		}
		for (const { fields } of resource.files)
			fields.forEach((field, i) => fields.slice(0, i).forEach((b) => after.get(field)!.add(b)));
	}
	const ordered: INodeProperties[] = [];
	const placed = new Set<INodeProperties>();
	while (ordered.length < firstMet.length) {
		const next = firstMet.find(
			(f) => !placed.has(f) && [...after.get(f)!].every((b) => placed.has(b)),
		);
		if (!next) throw new Error('Two operations list the same fields in different orders');
		ordered.push(next);
		placed.add(next);
	}
	return ordered.map((field) => {
		const byResource = uses.get(field)!;
		const names = [...byResource.keys()];
		const operations = [...new Set([...byResource.values()].flat())];
		for (const resource of resources) {
			if (!byResource.has(resource.option.value)) continue;
			const own = byResource.get(resource.option.value)!;
			const extra = resource.files
				.map((f) => String(f.operation.value))
				.filter((op) => operations.includes(op) && !own.includes(op));
			if (extra.length)
				throw new Error(
					`Field "${field.name}" would show for ${resource.option.value} → ${extra.join(', ')}, which does not list it: declare a field per resource`,
				);
		}
		return { ...field, displayOptions: shownFor(names, operations, field.displayOptions) };
	});
}

/** The Resource list. */
export function resourceField(resources: Resource[], defaultResource: string): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map((r) => r.option),
		default: defaultResource,
	};
}

/** The canvas line under the node's name: for each operation, the subtitle its file declares. */
export function subtitle(resources: Resource[]): string {
	const names = Object.fromEntries(
		resources.flatMap((r) =>
			r.files.map((f) => [`${r.option.value}:${String(f.operation.value)}`, f.operation.subtitle]),
		),
	);
	return `={{ (${JSON.stringify(names)})[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
