import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Case-insensitive printable ASCII of at most `max` characters. */
export const CiString = (max: number, options: { minLength?: number } = {}) =>
  Type.String({ maxLength: max, minLength: options.minLength ?? 0, pattern: '^[\\x20-\\x7E]*$' });

/**
 * Whether a path id could be a CiString(max) id at all (1..max printable ASCII): one that cannot names no
 * object, and is answered so without asking the database, whose text type refuses some (a NUL byte).
 */
export const isPossibleId = (value: string, max = 36): boolean => value.length >= 1 && value.length <= max && /^[\x20-\x7E]*$/.test(value);

/** Case-sensitive printable UTF-8 (no control characters) of at most `max` characters. */
export const OcpiString = (max: number, options: { minLength?: number } = {}) =>
  Type.String({ maxLength: max, minLength: options.minLength ?? 0, pattern: '^[^\\x00-\\x1F\\x7F]*$' });

/** RFC 3339 UTC without offsets; `Z` and fractional seconds optional (digest §1.13); a real calendar instant (ocpi/ajv.ts). */
export const DateTime = Type.String({
  maxLength: 25,
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z?$',
  format: 'ocpi-date-time',
});

export const Url = Type.String({ maxLength: 255, minLength: 1, format: 'uri' });

export const CountryCode = Type.String({ pattern: '^[A-Za-z]{2}$' });
export const PartyId = Type.String({ pattern: '^[A-Za-z0-9]{3}$' });

export const StringEnum = <T extends string[]>(values: [...T]) => Type.Union(values.map((v) => Type.Literal(v)));

export const DisplayText = Type.Object({ language: OcpiString(2, { minLength: 2 }), text: OcpiString(512) });
/** DisplayText in objects we store: unknown fields refused. */
export const StrictDisplayText = Type.Object(DisplayText.properties, { additionalProperties: false });

const strict = { additionalProperties: false } as const;

export const EnergySourceCategory = StringEnum(['NUCLEAR', 'GENERAL_FOSSIL', 'COAL', 'GAS', 'GENERAL_GREEN', 'SOLAR', 'WIND', 'WATER']);
export const EnvironmentalImpactCategory = StringEnum(['NUCLEAR_WASTE', 'CARBON_DIOXIDE']);
export const EnergySource = Type.Object(
  { source: EnergySourceCategory, percentage: Type.Number({ minimum: 0, maximum: 100 }) }, strict,
);
export type EnergySource = Static<typeof EnergySource>;
export const EnvironmentalImpact = Type.Object(
  { category: EnvironmentalImpactCategory, amount: Type.Number({ minimum: 0 }) }, strict,
);
export type EnvironmentalImpact = Static<typeof EnvironmentalImpact>;
export const EnergyMix = Type.Object({
  is_green_energy: Type.Boolean(),
  energy_sources: Type.Optional(Type.Array(EnergySource)),
  environ_impact: Type.Optional(Type.Array(EnvironmentalImpact)),
  supplier_name: Type.Optional(OcpiString(64)),
  energy_product_name: Type.Optional(OcpiString(64)),
}, strict);
export type EnergyMix = Static<typeof EnergyMix>;

export const ImageCategory = StringEnum(['CHARGER', 'ENTRANCE', 'LOCATION', 'NETWORK', 'OPERATOR', 'OTHER', 'OWNER']);

export const Image = Type.Object(
  {
    url: Url,
    thumbnail: Type.Optional(Url),
    category: ImageCategory,
    type: CiString(4, { minLength: 1 }),
    width: Type.Optional(Type.Integer({ minimum: 0, maximum: 99999 })),
    height: Type.Optional(Type.Integer({ minimum: 0, maximum: 99999 })),
  },
);

export const BusinessDetails = Type.Object(
  { name: OcpiString(100, { minLength: 1 }), website: Type.Optional(Url), logo: Type.Optional(Image) },
);
export type BusinessDetails = Static<typeof BusinessDetails>;

export const Role = StringEnum(['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP']);
export type Role = Static<typeof Role>;

export const VersionNumber = StringEnum(['2.0', '2.1', '2.1.1', '2.2', '2.2.1']);
export const ModuleId = StringEnum([
  'cdrs',
  'chargingprofiles',
  'commands',
  'credentials',
  'hubclientinfo',
  'locations',
  'sessions',
  'tariffs',
  'tokens',
]);
export type ModuleId = Static<typeof ModuleId>;
export const InterfaceRole = StringEnum(['SENDER', 'RECEIVER']);
export type InterfaceRole = Static<typeof InterfaceRole>;

/** Optional in OCPI terms: absent or null both mean "not set" (digest §0). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
