import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isRead } from '../transport/errors';
import { wireOf } from '../transport/request';

/**
 * What an error means for the data, shown on a Continue On Fail error item as `outcome`:
 * - `refused`: Tracy (or the node, before sending) refused it; nothing was stored; sending it again
 *   as it is will not help;
 * - `unreachable`: nothing was stored (Tracy unavailable, rate-limited, not reached): send it again later;
 * - `unknown`: a write whose answer was lost or failed after it reached Tracy: it may be stored;
 *   check before sending it again (Skip if Exists).
 */
export type Outcome = 'refused' | 'unreachable' | 'unknown';

/** The outcome of an error, read from what the transport saw on the wire (transport/request.ts, WireFacts). */
export function outcomeOf(error: NodeApiError | NodeOperationError): Outcome {
	const wire = wireOf(error);
	if (!wire) return 'refused';
	const read = isRead(wire.method);
	// no answer: a write that reached Tracy may have been stored
	if (wire.status === undefined) return wire.reached && !read ? 'unknown' : 'unreachable';
	// Tracy did not process a request it rate-limited
	if (wire.status === 429) return 'unreachable';
	// a read is not stored; a write Tracy failed on may have been
	if (wire.status >= 500) return read ? 'unreachable' : 'unknown';
	// a 2xx answer not understood: a write has probably taken effect
	if (wire.status >= 200 && wire.status < 300) return read ? 'refused' : 'unknown';
	return 'refused';
}
