import { randomUUID } from 'node:crypto';
import type { Command, Prisma } from '../../generated/prisma/client';
import type { PrismaClient } from '../../platform/database';
import type { OutboxRepository } from '../../push/outbox.repository';
import type { CommandResult } from './commands.schema';

export const MODULE = 'commands';

/** A command as stored: the body as received, where it goes, and what became of it. */
export interface CommandRecord {
  id: string;
  partnerId: string;
  command: string;
  request: Record<string, unknown>;
  locationId: string | null;
  evseUid: string | null;
  connectorId: string | null;
  reservationId: string | null;
  status: string;
  result: CommandResult | null;
  deadline: Date;
  createdAt: Date;
  resultAt: Date | null;
}

/** A command as the delivery of its result needs it: with the receipt, once its eMSP acknowledged it. */
export interface CommandForDelivery {
  record: CommandRecord;
  receipt: unknown;
  /** Its TIMEOUT was recorded by this load. */
  timedOut: boolean;
}

export interface NewCommand {
  partnerId: string;
  command: string;
  request: Record<string, unknown>;
  locationId?: string;
  evseUid?: string;
  connectorId?: string;
  reservationId?: string;
  deadline: Date;
}

/** An eMSP reservation mapped to ours. */
export interface ReservationRecord {
  id: string;
  locationId: string;
  evseUid: string | null;
}

function toRecord(row: Command): CommandRecord {
  return {
    id: row.id,
    partnerId: row.partnerId,
    command: row.command,
    request: row.request as Record<string, unknown>,
    locationId: row.locationId,
    evseUid: row.evseUid,
    connectorId: row.connectorId,
    reservationId: row.reservationId,
    status: row.status,
    result: row.result === null ? null : ({ result: row.result, ...(row.resultMessage ? { message: row.resultMessage } : {}) } as CommandResult),
    deadline: row.deadline,
    createdAt: row.createdAt,
    resultAt: row.resultAt,
  };
}

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/**
 * Commands and their reservation ids. An accepted command and the delivery of its result (due at its
 * deadline) are written in one transaction, so a restart loses neither.
 */
export function createCommandsRepository(prisma: PrismaClient, outbox: Pick<OutboxRepository, 'enqueueDueAt' | 'makeDue' | 'dropPending'>) {
  return {
    async find(id: string): Promise<CommandRecord | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await prisma.command.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },

    /** Our id for the partner's `reservation_id` (CiString: compared upper-cased), made on first use. */
    async reservationFor(partnerId: string, emspId: string, locationId: string, evseUid: string | undefined): Promise<string> {
      const key = emspId.toUpperCase();
      const row = await prisma.commandReservation.upsert({
        where: { partnerId_emspReservationKey: { partnerId, emspReservationKey: key } },
        create: { id: randomUUID(), partnerId, emspReservationKey: key, locationId, evseUid: evseUid ?? null },
        update: { locationId, evseUid: evseUid ?? null },
      });
      return row.id;
    },

    /** The partner's reservation (its own only), if it made one. */
    async findReservation(partnerId: string, emspId: string): Promise<ReservationRecord | undefined> {
      const row = await prisma.commandReservation.findUnique({ where: { partnerId_emspReservationKey: { partnerId, emspReservationKey: emspId.toUpperCase() } } });
      return row ? { id: row.id, locationId: row.locationId, evseUid: row.evseUid } : undefined;
    },

    /** Stores an accepted command with the delivery of its result, first due at its deadline. */
    async accept(command: NewCommand): Promise<CommandRecord> {
      const id = randomUUID();
      const row = await prisma.$transaction(async (tx) => {
        const created = await tx.command.create({
          data: {
            id,
            partnerId: command.partnerId,
            command: command.command,
            request: command.request as Prisma.InputJsonValue,
            locationId: command.locationId ?? null,
            evseUid: command.evseUid ?? null,
            connectorId: command.connectorId ?? null,
            reservationId: command.reservationId ?? null,
            status: 'ACCEPTED',
            deadline: command.deadline,
          },
        });
        await outbox.enqueueDueAt(tx, command.partnerId, MODULE, id, command.deadline);
        return created;
      });
      return toRecord(row);
    },

    /** The CSMS did not take it: nothing will be reported, nothing is sent. */
    async refused(id: string): Promise<void> {
      const { partnerId } = await prisma.command.update({ where: { id }, data: { status: 'REJECTED' }, select: { partnerId: true } });
      await outbox.dropPending(partnerId, MODULE, id);
    },

    /**
     * Records the outcome of an accepted command, once, and makes its delivery due now. 'unknown': no
     * such command; 'known': its result was recorded already (or it was never accepted).
     */
    async recordResult(id: string, result: CommandResult): Promise<CommandRecord | 'unknown' | 'known'> {
      if (!isUuid(id)) return 'unknown';
      return prisma.$transaction(async (tx) => {
        const message = result.message === undefined ? undefined : (result.message as Prisma.InputJsonValue);
        const { count } = await tx.command.updateMany({
          where: { id, status: 'ACCEPTED', result: null },
          data: { result: result.result, resultMessage: message, resultAt: new Date() },
        });
        if (count === 0) return (await tx.command.findUnique({ where: { id }, select: { id: true } })) ? 'known' : 'unknown';
        const command = toRecord((await tx.command.findUnique({ where: { id } }))!);
        // By partner: the statement then uses the outbox's unique index rather than reading every delivery.
        await outbox.makeDue(tx, command.partnerId, MODULE, id);
        return command;
      });
    },

    /**
     * For the outbox: the commands of `ids`, any whose deadline has passed without a result first
     * recorded as TIMEOUT (in the same statement that checks, so a late report of the CSMS gets 409).
     */
    async findForDelivery(ids: string[]): Promise<CommandForDelivery[]> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      const timedOut = await prisma.$queryRaw<{ id: string }[]>`
        UPDATE commands SET result = 'TIMEOUT', result_at = now()
        WHERE id = ANY(${valid}::uuid[]) AND status = 'ACCEPTED' AND result IS NULL AND deadline <= now() RETURNING id::text`;
      const [rows, receipts] = await Promise.all([
        prisma.command.findMany({ where: { id: { in: valid } } }),
        prisma.partnerObject.findMany({ where: { module: MODULE, objectKey: { in: valid } }, select: { objectKey: true, snapshot: true } }),
      ]);
      const now = new Set(timedOut.map((r) => r.id));
      return rows.map((row) => ({ record: toRecord(row), receipt: receipts.find((r) => r.objectKey === row.id)?.snapshot, timedOut: now.has(row.id) }));
    },

    /** When the partner acknowledged the command's result (undefined: not yet). */
    async deliveredAt(id: string): Promise<Date | undefined> {
      const row = await prisma.partnerObject.findFirst({ where: { module: MODULE, objectKey: id }, select: { ackedAt: true } });
      return row?.ackedAt;
    },
  };
}

export type CommandsRepository = ReturnType<typeof createCommandsRepository>;
