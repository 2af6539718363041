/** Text rules every part of the node reads input by. */

/** "a, b , ,c" → ["a", "b", "c"]: a comma-separated setting, or text for a property that holds several values. */
export function commaList(text: unknown): string[] {
	return String(text ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

/** A list of plain values (ticked boxes) as one text: "a, b". */
export function listText(values: unknown[]): string {
	return values
		.filter((v) => v !== null && v !== undefined)
		.map((v) => String(v).trim())
		.filter(Boolean)
		.join(', ');
}

/**
 * Names are compared by their letters and digits, in every script, accents and letter case aside:
 * "E-mail", "e_mail" and "Email" are one, so are "Téléphone" and "telephone", and "Телефон" stays
 * itself. A name with no letter or digit ("#", "№") reduces to "" and matches nothing.
 */
export function normaliseName(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]/gu, '');
}

/** A value as Tracy compares match values and filters (A17): trimmed, letter case aside. */
export function compareKey(value: unknown): string {
	return String(value).trim().toLowerCase();
}
