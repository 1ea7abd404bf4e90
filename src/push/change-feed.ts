import type { Prisma } from '../generated/prisma/client';

/** Push hooks for writes: record the change for delivery inside the write's transaction; say so after commit. */
export interface ChangeFeed {
  enqueue(tx: Prisma.TransactionClient, module: string, objectKey: string): Promise<void>;
  /** The same as a statement to embed, applied only if `onlyIf` holds. */
  enqueueSql(module: string, objectKey: string, onlyIf: Prisma.Sql): Prisma.Sql;
  committed(): void;
}
