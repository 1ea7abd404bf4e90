import type { Command } from 'commander';
import { ConfigError, loadCliConfig } from '../config';
import { adminClient, type AdminClient } from './admin-client';
import { printJson } from './format';
import { CliError, type CliIo } from './io';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** What a command that talks to a running node works with. */
export interface AdminContext {
  api: AdminClient;
  io: CliIo;
  json: boolean;
}

function nodeUrl(flag: string | undefined, fallback: string): string {
  if (flag === undefined) return fallback;
  if (!/^https?:\/\/[^\s]+$/.test(flag)) throw new CliError(`--url must be an http(s) URL, got ${JSON.stringify(flag)}`, 2);
  return flag.replace(/\/+$/, '');
}

/** The admin API at `--url` (or OCPI_NODE_URL) with `--token` (or ADMIN_TOKEN). */
export function adminContext(command: Command, io: CliIo): AdminContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  let config;
  try {
    config = loadCliConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
  const token = options.token ?? config.adminToken;
  if (!token) throw new CliError('no admin token: pass --token or set ADMIN_TOKEN', 2);
  return { api: adminClient(nodeUrl(options.url, config.nodeUrl), token), io, json: options.json === true };
}

export const partnerPath = (id: string) => `/admin/partners/${encodeURIComponent(id)}`;

/** Prints `data` (the answer's raw `data`) as JSON with `--json`, else what `human` makes of it. */
export function output<T>(ctx: AdminContext, data: T, human: (data: T) => string): void {
  if (ctx.json) printJson(ctx.io, data);
  else ctx.io.stdout.write(human(data));
}
