import { buildRecordPatchBody, PATHS } from '../../contract/assumptions';
import type { OperationEntry, OperationOption } from '../../engine/operation';
import { tracyOperation } from '../../engine/operation';
import { getIdParameter } from '../../data/validation';
import { recordOutput } from '../../reading/steps';

/** Archive, Unarchive and Restore differ only in the fields they change (A7). */
export function patchOperation(
	option: OperationEntry,
	fields: () => Parameters<typeof buildRecordPatchBody>[1],
): OperationOption {
	return tracyOperation(option, {
		request: { method: 'PUT', url: PATHS.records },
		answer: 'record',
		prepare(item, request) {
			const recordId = getIdParameter(item.ctx, 'recordId', 'Record') as number;
			request.body = buildRecordPatchBody(recordId, fields());
		},
		output: recordOutput,
	});
}
