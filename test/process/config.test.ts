import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { cleanEnv, killAllNodes, makeTempDir, removeTempDirs, runScript } from '../helpers/node-process';

jest.setTimeout(60_000);

afterAll(async () => {
  await killAllNodes();
  removeTempDirs();
});

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('when CSMS_WEBHOOK_URL is set, then the charger port is the webhook; unset, the simulator; CHARGER_PORT=webhook without it is refused', () => {
    expect(loadConfig({}).charger).toEqual({ port: 'simulator', webhookUrl: undefined, commandTimeoutS: 60, simulatorSpeed: 1 });
    expect(loadConfig({ CSMS_WEBHOOK_URL: 'http://csms:8080/cmd', COMMAND_TIMEOUT_S: '30' }).charger)
      .toEqual({ port: 'webhook', webhookUrl: 'http://csms:8080/cmd', commandTimeoutS: 30, simulatorSpeed: 1 });
    expect(loadConfig({ CHARGER_PORT: 'none', SIMULATOR_SPEED: '600' }).charger).toMatchObject({ port: 'none', simulatorSpeed: 600 });
    expect(configError({ SIMULATOR_SPEED: '0' })).toContain('SIMULATOR_SPEED');
    expect(configError({ CHARGER_PORT: 'webhook' })).toContain('CSMS_WEBHOOK_URL');
    expect(configError({ CHARGER_PORT: 'ocpp', COMMAND_TIMEOUT_S: '0' })).toMatch(/CHARGER_PORT.*COMMAND_TIMEOUT_S|COMMAND_TIMEOUT_S.*CHARGER_PORT/);
  });

  it('when MAP_TILES_URL is unset, then the map has no tile layer; a tile URL and attribution are taken as given; a non-URL is refused', () => {
    expect(loadConfig({}).mapTiles).toEqual({ url: undefined, attribution: undefined });
    const tiles = { MAP_TILES_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', MAP_TILES_ATTRIBUTION: '© OpenStreetMap contributors' };
    expect(loadConfig(tiles).mapTiles).toEqual({ url: tiles.MAP_TILES_URL, attribution: tiles.MAP_TILES_ATTRIBUTION });
    expect(configError({ MAP_TILES_URL: 'tile.openstreetmap.org/{z}/{x}/{y}.png' })).toContain('MAP_TILES_URL');
    expect(configError({ MAP_TILES_URL: 'javascript:alert(1)//' })).toContain('MAP_TILES_URL');
  });

  it('when nothing is set, then every core variable takes its documented default', () => {
    expect(loadConfig({})).toMatchObject({
      databaseUrl: undefined,
      dataDir: './data',
      host: '0.0.0.0',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      party: { countryCode: 'NL', partyId: 'CPO', businessName: 'OCPI CPO Node' },
      adminToken: undefined,
      openData: true,
      metricsPublic: false,
      logLevel: 'info',
      bodyLimit: '1mb',
      dbPoolSize: 10,
      partnerTimeoutMs: 10000,
      shutdownTimeoutMs: 10000,
      push: { unreachableAfter: 3 },
    });
  });

  it('when values are given as strings, then they are converted to numbers, booleans and upper-case party ids', () => {
    const config = loadConfig({
      PORT: '8080',
      OPEN_DATA: 'false',
      METRICS_PUBLIC: 'true',
      OCPI_COUNTRY_CODE: 'de',
      OCPI_PARTY_ID: 'abc',
      PUBLIC_URL: 'https://cpo.example.com/',
      DB_POOL_SIZE: '3',
      SHUTDOWN_TIMEOUT_MS: '2500',
      DATABASE_URL: 'postgresql://u:p@db:5432/ocpi',
      PUSH_UNREACHABLE_AFTER: '5',
    });
    expect(config).toMatchObject({
      port: 8080,
      openData: false,
      metricsPublic: true,
      party: { countryCode: 'DE', partyId: 'ABC' },
      publicUrl: 'https://cpo.example.com',
      dbPoolSize: 3,
      shutdownTimeoutMs: 2500,
      databaseUrl: 'postgresql://u:p@db:5432/ocpi',
      push: { unreachableAfter: 5 },
    });
  });

  it('when a variable is set to the empty string, then it counts as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_TOKEN: '', OPEN_DATA: '' })).toMatchObject({ port: 3000, adminToken: undefined, openData: true });
  });

  it('when PUBLIC_URL is unset, then it follows PORT', () => {
    expect(loadConfig({ PORT: '4100' }).publicUrl).toBe('http://localhost:4100');
  });

  it('when loaded, then the result is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('when several variables are bad, then one error names every one of them', () => {
    const message = configError({ PORT: 'abc', OPEN_DATA: 'maybe', OCPI_PARTY_ID: 'TOOLONG', LOG_LEVEL: 'loud', DB_POOL_SIZE: '0' });
    expect(message).toMatch(/^invalid configuration: /);
    for (const name of ['PORT', 'OPEN_DATA', 'OCPI_PARTY_ID', 'LOG_LEVEL', 'DB_POOL_SIZE']) expect(message).toContain(`${name}=`);
    expect(message).toContain('PORT="abc"');
    expect(message).not.toContain('OCPI_COUNTRY_CODE');
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['PORT', '1e3'],
    ['OPEN_DATA', 'yes'],
    ['METRICS_PUBLIC', '1'],
    ['OCPI_COUNTRY_CODE', 'NLD'],
    ['PUBLIC_URL', 'ftp://cpo.example.com'],
    ['BODY_LIMIT', '1gb'],
    ['PARTNER_TIMEOUT_MS', '10'],
    ['PUSH_UNREACHABLE_AFTER', '0'],
    ['PUSH_UNREACHABLE_AFTER', '2.5'],
  ])('when %s=%s, then it is refused', (name, value) => {
    expect(configError({ [name]: value })).toContain(`${name}=`);
  });

  it('when a token or the database URL is bad, then the message names it but hides the value', () => {
    const message = configError({ ADMIN_TOKEN: 'short secret', DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(message).toContain('ADMIN_TOKEN=(invalid, value hidden)');
    expect(message).toContain('DATABASE_URL=(invalid, value hidden)');
    expect(message).not.toContain('short secret');
    expect(message).not.toContain('hunter2');
  });

  it('when ADMIN_TOKEN is printable ASCII of 16 to 64 characters, then it is accepted as is', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'a'.repeat(16) }).adminToken).toBe('a'.repeat(16));
    expect(configError({ ADMIN_TOKEN: 'a'.repeat(65) })).toContain('ADMIN_TOKEN=');
  });
});

describe('the node process with a bad configuration', () => {
  it('when PORT, OPEN_DATA and OCPI_PARTY_ID are bad, then it exits 1 with one stderr message naming all three and opens nothing', async () => {
    const dataDir = makeTempDir();
    const result = await runScript(
      'src/main.ts',
      cleanEnv({ DATA_DIR: dataDir, PORT: 'abc', OPEN_DATA: 'maybe', OCPI_PARTY_ID: 'TOOLONG', ADMIN_TOKEN: 'bad token with spaces' }),
    );
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 1, signal: null });
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^invalid configuration: /);
    for (const name of ['PORT', 'OPEN_DATA', 'OCPI_PARTY_ID', 'ADMIN_TOKEN']) expect(lines[0]).toContain(`${name}=`);
    expect(lines[0]).not.toContain('bad token with spaces');
    expect(result.stdout).toBe('');
    expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(false);
  });
});
