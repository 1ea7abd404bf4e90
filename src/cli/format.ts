import Table from 'cli-table3';
import type { CliIo } from './io';

/** A partner as `GET /admin/partners/{id}` answers (the list has no `deliveries`). */
export interface AdminPartner {
  id: string;
  status: string;
  role: string | null;
  roles: { role: string; country_code: string; party_id: string }[];
  versions_url: string | null;
  version: string | null;
  endpoints: { identifier: string; role: string; url: string }[];
  created_at: string;
  updated_at: string;
  registered_at: string | null;
  reachability?: { state: string; since?: string; next_probe_at?: string; consecutive_failures: number };
  deliveries?: { pending: number; failed: number; last_success_at: string | null; last_error: string | null; last_error_at: string | null };
}

const PLAIN = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' };

/** Columns aligned, no borders, no colours: readable in a terminal and by grep alike. */
export function table(head: string[], rows: string[][]): string {
  const t = new Table({ head, chars: PLAIN, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  t.push(...rows);
  return `${t.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}

export function printJson(io: CliIo, data: unknown): void {
  io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

/** `NL/ABC EMSP, NL/ABD NSP`; a partner not registered yet shows the role its slot is for. */
export function rolesOf(partner: AdminPartner): string {
  if (partner.roles.length > 0) return partner.roles.map((r) => `${r.country_code}/${r.party_id} ${r.role}`).join(', ');
  return partner.role ? `(${partner.role})` : '-';
}

export function reachabilityOf(partner: AdminPartner): string {
  const r = partner.reachability;
  if (!r) return '-';
  return r.state === 'UNREACHABLE' ? `UNREACHABLE since ${r.since ?? '?'}` : r.state;
}

export function partnerRows(partners: AdminPartner[]): string {
  const rows = partners.map((p) => [p.id, p.status, rolesOf(p), p.version ?? '-', String(p.deliveries?.pending ?? '-'), String(p.deliveries?.failed ?? '-'), reachabilityOf(p)]);
  return table(['ID', 'STATUS', 'ROLES', 'VERSION', 'PENDING', 'FAILED', 'REACHABILITY'], rows);
}

/** One partner, field by field. */
export function partnerDetails(p: AdminPartner): string {
  const d = p.deliveries;
  const fields: [string, string][] = [
    ['id', p.id],
    ['status', p.status],
    ['roles', rolesOf(p)],
    ['versions_url', p.versions_url ?? '-'],
    ['version', p.version ?? '-'],
    ['registered_at', p.registered_at ?? '-'],
    ['updated_at', p.updated_at],
    ['reachability', reachabilityOf(p)],
    ['pending', String(d?.pending ?? '-')],
    ['failed', String(d?.failed ?? '-')],
    ['last_success_at', d?.last_success_at ?? '-'],
    ['last_error', d?.last_error ? `${d.last_error} (${d.last_error_at ?? '?'})` : '-'],
  ];
  const endpoints = p.endpoints.map((e) => [`  ${e.identifier}`, `${e.role} ${e.url}`]);
  return table(['FIELD', 'VALUE'], [...fields, ...(endpoints.length > 0 ? [['endpoints', ''], ...endpoints] : [])]);
}
