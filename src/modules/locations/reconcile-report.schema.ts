import { Type, type Static } from '@sinclair/typebox';

/** How many ids of each kind a report names (the counts are complete). */
export const RECONCILE_SAMPLE_SIZE = 10;

const IdSample = Type.Array(Type.String(), { maxItems: RECONCILE_SAMPLE_SIZE });
const Count = Type.Integer({ minimum: 0 });

/**
 * The answer of a reconcile: counts of the partner's copy against ours; `samples` name up to
 * RECONCILE_SAMPLE_SIZE ids of each kind (ours as upper-cased id keys, extras as the partner sent them),
 * not after a purge.
 */
export const ReconcileReport = Type.Object(
  {
    missing: Count,
    different: Count,
    extra: Count,
    queued: Count,
    samples: Type.Optional(Type.Object({ missing: IdSample, different: IdSample, extra: IdSample }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type ReconcileReport = Static<typeof ReconcileReport>;
