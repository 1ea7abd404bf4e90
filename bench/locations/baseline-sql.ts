/** The baseline's hand-written SQL (bench/locations/baseline-server.ts), also used by breakdown.ts. */

/** OCPI DateTime as the node emits it (Date#toISOString: UTC, milliseconds, Z). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One location as served: its data, its EVSEs (pk order) with their connectors (pk order), last_updated. */
const LOCATION_JSON = `(l.data || jsonb_build_object(
    'evses', coalesce((
      SELECT jsonb_agg(e.data || jsonb_build_object(
          'connectors', coalesce((
            SELECT jsonb_agg(c.data || jsonb_build_object('last_updated', ${iso('c.last_updated')}) ORDER BY c.pk)
            FROM connectors c WHERE c.evse_pk = e.pk), '[]'::jsonb),
          'last_updated', ${iso('e.last_updated')}) ORDER BY e.pk)
      FROM evses e WHERE e.location_pk = l.pk), '[]'::jsonb),
    'last_updated', ${iso('l.last_updated')}))::text`;

export const SQL_SINGLE = `SELECT l.row_version, ${LOCATION_JSON} AS json
  FROM locations l WHERE l.country_code = $1 AND l.party_id = $2 AND l.id_key = $3`;

/**
 * One round trip per page of `table` (as `alias`, which `json` refers to): the total, and the page after the
 * keyset position `$1` (each row's `json`, as text, in pk order).
 */
const pageOf = (table: string, alias: string, json: string) => `WITH page AS (
    SELECT ${alias}.pk, ${json} AS json FROM ${table} ${alias} WHERE ${alias}.pk > $1 ORDER BY ${alias}.pk LIMIT $2)
  SELECT (SELECT count(*) FROM ${table})::int AS total,
    (SELECT count(*) FROM page)::int AS count,
    (SELECT max(pk) FROM page)::text AS last_key,
    coalesce((SELECT string_agg(json, ',' ORDER BY pk) FROM page), '') AS items`;

/** Keyset position for a plain offset: the pk of the row before it. */
const pkAtOf = (table: string) => `SELECT pk::text AS key FROM ${table} ORDER BY pk OFFSET $1 LIMIT 1`;

export const SQL_PAGE = pageOf('locations', 'l', LOCATION_JSON);
export const SQL_PK_AT = pkAtOf('locations');

/**
 * One tariff as the node serves it: `data` as stored (json, not jsonb: the text as written, compact, the spec's
 * field order) with `last_updated` appended, built as text.
 */
const TARIFF_JSON = `left(t.data::text, -1) || ',"last_updated":"' || ${iso('t.last_updated')} || '"}'`;

export const SQL_TARIFF_PAGE = pageOf('tariffs', 't', TARIFF_JSON);
export const SQL_TARIFF_PK_AT = pkAtOf('tariffs');

/** The baseline's import of one tariff: one INSERT, stamped with now(), no outbox. */
export const SQL_INSERT_TARIFF = `INSERT INTO tariffs (country_code, party_id, id, id_key, data, last_updated, row_version)
  VALUES ($1, $2, $3::text, upper($3::text), $4::json, now(), 1)`;

/**
 * The baseline's import of one location tree (baseline-server.ts): one transaction of one INSERT per level
 * (children as multi-row inserts from the body's JSON), every row stamped with now(), no outbox.
 */
export const SQL_INSERT_LOCATION = `INSERT INTO locations (country_code, party_id, id, id_key, publish, data, last_updated, row_version)
  VALUES ($1, $2, $3::text, upper($3::text), $4, $5::jsonb, now(), 1) RETURNING pk`;

export const SQL_INSERT_EVSES = `INSERT INTO evses (location_pk, uid, uid_key, status, data, last_updated, row_version)
  SELECT $1, e->>'uid', upper(e->>'uid'), e->>'status', e - 'connectors', now(), 1 FROM jsonb_array_elements($2::jsonb) AS e
  RETURNING pk, uid`;

export const SQL_INSERT_CONNECTORS = `INSERT INTO connectors (evse_pk, id, id_key, data, last_updated, row_version)
  SELECT (c->>'evse_pk')::bigint, c->>'id', upper(c->>'id'), c - 'evse_pk', now(), 1 FROM jsonb_array_elements($1::jsonb) AS c`;
