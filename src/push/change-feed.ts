import type { Prisma } from '../generated/prisma/client';
import type { PartyRef } from '../modules/credentials/partner.mapper';

/** Push hooks for writes: record the change for delivery inside the write's transaction; say so after commit. */
export interface ChangeFeed {
  /** `owner`: only the partners holding that party (sessions, CDRs); otherwise every partner with a RECEIVER. */
  enqueue(tx: Prisma.TransactionClient, module: string, objectKey: string, owner?: PartyRef): Promise<void>;
  /** The same as a statement to embed, applied only if `onlyIf` holds. */
  enqueueSql(module: string, objectKey: string, onlyIf: Prisma.Sql): Prisma.Sql;
  committed(): void;
}
