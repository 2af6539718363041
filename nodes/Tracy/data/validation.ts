import type {
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	INodeParameterResourceLocator,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

type Ctx = IExecuteSingleFunctions | ILoadOptionsFunctions;

/** A locator's value; the editor stores one added inside a collection as `{ mode, value }`, without `__rl`. */
function rawLocatorValue(value: unknown): unknown {
	if (
		value &&
		typeof value === 'object' &&
		!Array.isArray(value) &&
		('__rl' in value || ('mode' in value && 'value' in value))
	) {
		return (value as INodeParameterResourceLocator).value;
	}
	return value;
}

/** A Tracy ID given as a number or a digit string (42, "42"), or undefined for anything else. */
export function asId(value: unknown): number | undefined {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return /^\d+$/.test(text) && Number(text) > 0 && Number.isSafeInteger(Number(text))
		? Number(text)
		: undefined;
}

/** Parses an ID given as a number or a digit string; anything else is an error naming the field. */
export function parseId(
	ctx: Ctx,
	value: unknown,
	field: string,
	options: { optional?: boolean } = {},
): number | undefined {
	const raw = rawLocatorValue(value);
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		if (options.optional) return undefined;
		failItem(
			ctx,
			`The field "${field}" is empty`,
			`Give the numeric ID of the ${field.toLowerCase()}, or pick one from the list.`,
		);
	}
	const id = asId(raw);
	if (id === undefined) {
		const shown = typeof raw === 'string' ? raw.slice(0, 80) : JSON.stringify(raw)?.slice(0, 80);
		failItem(
			ctx,
			`The field "${field}" must be a positive whole number, not ${shown}`,
			`Tracy IDs are numbers such as 42.${
				typeof raw === 'string' && /^https?:/i.test(raw)
					? ' A URL was given: copy only the number from it.'
					: ''
			}`,
		);
	}
	return id;
}

/** Reads a resource-locator or plain parameter and parses it as an ID. */
export function getIdParameter(
	ctx: IExecuteSingleFunctions,
	name: string,
	field: string,
	options: { optional?: boolean } = {},
): number | undefined {
	const value = ctx.getNodeParameter(name, undefined) as unknown;
	return parseId(ctx, value, field, options);
}

/** Fails the current item (or the search) with a message that names the field. */
export function failItem(ctx: Ctx, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, {
		description,
		itemIndex: 'getItemIndex' in ctx ? ctx.getItemIndex() : undefined,
	});
}
