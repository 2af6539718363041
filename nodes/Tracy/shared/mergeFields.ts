import type { INodeProperties } from 'n8n-workflow';

/**
 * Operations declare their fields on their own, so the same field (Simplify, Return All, the
 * record locator...) appears once per operation. n8n's declarative engine evaluates every
 * top-level property of the description for every item, shown or not, so each copy costs
 * time on every item. This folds identical copies into one property shown for all their
 * operations, keeping each operation's field order; the forms do not change.
 */
export function mergeOperationFields(fields: INodeProperties[], operations: Array<[string, string[]]>): INodeProperties[] {
	const valid = new Set(operations.flatMap(([resource, ops]) => ops.map((op) => `${resource}:${op}`)));
	const pairsOf = (field: INodeProperties): string[] | undefined => {
		const show = field.displayOptions?.show;
		if (!show) return undefined;
		const resources = show.resource as string[] | undefined;
		const ops = show.operation as string[] | undefined;
		if (!resources || !ops) return undefined;
		return resources.flatMap((r) => ops.map((o) => `${r}:${o}`)).filter((p) => valid.has(p));
	};
	const onlyResourceAndOperation = (field: INodeProperties) =>
		Object.keys(field.displayOptions ?? {}).join() === 'show' &&
		Object.keys(field.displayOptions?.show ?? {}).sort().join() === 'operation,resource';

	// group identical definitions (all but where they show); where one property for all of them
	// would also show on an operation that had none, group per resource instead
	const candidates = new Map<string, number[]>();
	fields.forEach((field, index) => {
		const key =
			pairsOf(field) && onlyResourceAndOperation(field) ? JSON.stringify({ ...field, displayOptions: undefined }) : `#${index}`;
		candidates.set(key, [...(candidates.get(key) ?? []), index]);
	});
	const groups: Array<{ field: INodeProperties; pairs: Set<string>; members: number[] }> = [];
	for (const members of candidates.values()) {
		const pairs = members.flatMap((m) => pairsOf(fields[m]) ?? []);
		const split = isSafe(pairs, valid)
			? [members]
			: [...new Set(pairs.map((p) => p.split(':')[0]))].map((r) =>
					members.filter((m) => (pairsOf(fields[m]) ?? []).some((p) => p.startsWith(`${r}:`))),
				);
		for (const part of split) {
			groups.push({ field: fields[part[0]], pairs: new Set(part.flatMap((m) => pairsOf(fields[m]) ?? [])), members: part });
		}
	}
	groups.sort((a, b) => a.members[0] - b.members[0]);

	// each operation's order of groups, then one order that respects them all
	const groupOf = new Map<number, number>();
	groups.forEach((g, gi) => g.members.forEach((m) => groupOf.set(m, gi)));
	const after = groups.map(() => new Set<number>());
	for (const pair of valid) {
		const sequence = fields
			.map((field, index) => ({ index, pairs: pairsOf(field) }))
			.filter((f) => f.pairs?.includes(pair))
			.map((f) => groupOf.get(f.index) as number);
		for (let i = 1; i < sequence.length; i++) if (sequence[i - 1] !== sequence[i]) after[sequence[i]].add(sequence[i - 1]);
	}
	const placed: number[] = [];
	const done = new Set<number>();
	while (placed.length < groups.length) {
		const next = groups.findIndex((_, gi) => !done.has(gi) && [...after[gi]].every((d) => done.has(d)));
		// two operations disagree on the order: keep the description as it was
		if (next === -1) return fields;
		placed.push(next);
		done.add(next);
	}

	return placed.map((gi) => {
		const { field, pairs, members } = groups[gi];
		if (members.length === 1) return field;
		const resources = [...new Set([...pairs].map((p) => p.split(':')[0]))];
		const ops = [...new Set([...pairs].map((p) => p.split(':')[1]))];
		return { ...field, displayOptions: { show: { resource: resources, operation: ops } } };
	});
}

/** One property is safe when its resource × operation grid adds no operation that showed none of the copies. */
function isSafe(pairs: string[], valid: Set<string>): boolean {
	const all = new Set(pairs);
	const resources = new Set([...all].map((p) => p.split(':')[0]));
	const ops = new Set([...all].map((p) => p.split(':')[1]));
	for (const r of resources) for (const o of ops) if (valid.has(`${r}:${o}`) && !all.has(`${r}:${o}`)) return false;
	return true;
}
