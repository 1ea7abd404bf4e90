import { Option, type Command } from 'commander';
import { PartnerSlotRole } from '../admin/partners.schema';
import { adminContext, output, partnerPath } from './context';
import { partnerDetails, partnerRows, table, type AdminPartner } from './format';
import type { CliIo } from './io';
import { addSyncCommands } from './partners-sync-commands';

const ROLES = PartnerSlotRole.anyOf.map((literal) => literal.const);

interface Slot {
  id: string;
  token_a: string;
  versions_url: string;
  role: string;
}

/** `partners ...`: the operator's routine work on partners through the admin API of a running node. */
export function addPartnersCommands(program: Command, io: CliIo): void {
  const partners = program.command('partners').description('manage roaming partners on a running node (admin API)');

  partners
    .command('create')
    .description('create a registration slot: a token A and our versions URL to hand to the partner')
    .addOption(new Option('--role <role>', 'the role the registering party will hold').choices(ROLES).default('EMSP'))
    .action(async (options: { role: string }, command: Command) => {
      const ctx = adminContext(command, io);
      const slot = await ctx.api.post<Slot>('/admin/partners', { role: options.role });
      output(ctx, slot, (s) => table(['FIELD', 'VALUE'], [['id', s.id], ['role', s.role], ['token_a', s.token_a], ['versions_url', s.versions_url]]));
    });

  partners
    .command('list')
    .description('every partner with its status, roles, OCPI version and delivery state')
    .action(async (_options: unknown, command: Command) => {
      const ctx = adminContext(command, io);
      const listed = await ctx.api.list<AdminPartner>('/admin/partners');
      // The list has no delivery counts: each partner's own view has them.
      const detailed = await Promise.all(listed.map((p) => ctx.api.get<AdminPartner>(partnerPath(p.id))));
      output(ctx, detailed, partnerRows);
    });

  partners
    .command('show <id>')
    .description('one partner: endpoints, reachability, deliveries')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = adminContext(command, io);
      output(ctx, await ctx.api.get<AdminPartner>(partnerPath(id)), partnerDetails);
    });

  partners
    .command('rotate <id>')
    .description('new credentials for a registered partner (we send our new token, it answers with its new one)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = adminContext(command, io);
      const partner = await ctx.api.post<AdminPartner>(`${partnerPath(id)}/rotate`);
      output(ctx, partner, (p) => `credentials rotated with partner ${p.id} (${p.status}, updated ${p.updated_at})\n`);
    });

  partners
    .command('delete <id>')
    .description('unregister a partner (it is told when registered) and retire its tokens')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = adminContext(command, io);
      const partner = await ctx.api.delete<AdminPartner>(partnerPath(id));
      output(ctx, partner, (p) => `partner ${p.id} is ${p.status}\n`);
    });

  addSyncCommands(partners, io);
}
