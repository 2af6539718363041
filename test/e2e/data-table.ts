/** The Data Table the web-form examples keep submissions in, as the end-to-end scenarios make and read it. */
import type { N8nServer } from './server';

/** The table's name in the web-form examples (found by name on n8n 2.x). */
export const KEPT_TABLE = 'Refused Tracy leads';
/** What the web-form example answers a visitor whose submission it kept. */
export const KEPT_MESSAGE =
	'We could not register your request right now. It has been kept, and we will get back to you.';

export interface KeptTable {
	id: string;
	rows: () => Promise<Array<Record<string, unknown>>>;
}

/** The web-form examples' Data Table of kept submissions, made through n8n's REST API (or found, when made before). */
export async function keptTable(server: N8nServer, name: string): Promise<KeptTable | undefined> {
	try {
		const project = await server.rest<{ id: string }>('GET', 'projects/personal');
		const listed = await server.rest<
			{ data?: Array<{ id: string; name: string }> } | Array<{ id: string; name: string }>
		>('GET', `projects/${project.id}/data-tables`);
		const existing = (Array.isArray(listed) ? listed : (listed.data ?? [])).find(
			(t) => t.name === name,
		);
		const table =
			existing ??
			(await server.rest<{ id: string }>('POST', `projects/${project.id}/data-tables`, {
				name,
				columns: [
					{ name: 'reason', type: 'string' },
					{ name: 'submission', type: 'string' },
					{ name: 'outcome', type: 'string' },
					{ name: 'tries', type: 'number' },
				],
			}));
		return {
			id: table.id,
			rows: async () => {
				const rows: Array<Record<string, unknown>> = [];
				for (let skip = 0; ; skip += 100) {
					const page = await server.rest<{ data?: Array<Record<string, unknown>> }>(
						'GET',
						`projects/${project.id}/data-tables/${table.id}/rows?take=100&skip=${skip}`,
					);
					rows.push(...(page.data ?? []));
					if ((page.data ?? []).length < 100) return rows;
				}
			},
		};
	} catch (error) {
		process.stdout.write(
			`  (no Data Table in this n8n: ${(error as Error).message.slice(0, 200)})\n`,
		);
		return undefined;
	}
}
