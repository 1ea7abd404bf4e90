import { Type, type Static } from '@sinclair/typebox';
import { Url } from '../../ocpi/types';

/**
 * Shapes of the versions module as we read them from partners: lenient on values we do not know
 * (a newer version number, a custom module) so they can be skipped rather than refused.
 */
export const Version = Type.Object({ version: Type.String({ minLength: 1 }), url: Url });
export type Version = Static<typeof Version>;

export const VersionList = Type.Array(Version);

export const Endpoint = Type.Object({ identifier: Type.String({ minLength: 1 }), role: Type.String(), url: Url });
export type Endpoint = Static<typeof Endpoint>;

export const VersionDetails = Type.Object({ version: Type.String({ minLength: 1 }), endpoints: Type.Array(Endpoint) });
export type VersionDetails = Static<typeof VersionDetails>;

export const OCPI_VERSION = '2.2.1';
