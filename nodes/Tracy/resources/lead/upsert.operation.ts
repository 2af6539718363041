import { upsertOperation } from '../record/upsert.operation';

export { fields } from '../record/upsert.operation';

/** Record → Create or Update on the leads dataset; the mapper matches on the email property by default. */
export const operation = upsertOperation('lead');
