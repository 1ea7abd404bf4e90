import { OcpiError } from '../../ocpi/ocpi-error';
import { OcpiStatus } from '../../ocpi/status-codes';
import { FINAL_STATES, isFinal } from './session-lifecycle';
import { connectorOf, evseOf, type SessionPlaces } from './session-places';
import type { SessionsRepository, TokenParty } from './sessions.repository';
import type { ChargingPreferences, ChargingPreferencesResponse, SessionInput } from './sessions.schema';
import type { SessionsService } from './sessions.service';

const CAPABILITY = 'CHARGING_PREFERENCES_CAPABLE';

/**
 * The charging preferences an owning eMSP sets on its ongoing sessions (digest §3.2.1). A finished
 * session answers NOT_POSSIBLE; a profile other than REGULAR needs a tariff of that profile
 * (`PROFILE_<type>`) named by the session's connector, else PROFILE_TYPE_NOT_SUPPORTED.
 */
export function createChargingPreferencesService(sessions: SessionsService, repository: SessionsRepository, places: SessionPlaces) {
  async function profileSupported(profile: ChargingPreferences['profile_type'], connectorTariffs: unknown): Promise<boolean> {
    if (profile === 'REGULAR') return true;
    const ids = Array.isArray(connectorTariffs) ? (connectorTariffs as string[]) : [];
    const types = await Promise.all(ids.map(async (id) => (await places.tariff(id))?.type));
    return types.includes(`PROFILE_${profile}`);
  }

  return {
    async set(id: string, owners: TokenParty[], preferences: ChargingPreferences): Promise<ChargingPreferencesResponse> {
      const session = await sessions.getOwned(id, owners);
      const data = session.data as unknown as SessionInput;
      if (isFinal(data.status)) return 'NOT_POSSIBLE';
      const evse = evseOf(await places.location(data.location_id), data.evse_uid);
      const capabilities = (evse?.data.capabilities as string[] | undefined) ?? [];
      if (!evse || !capabilities.includes(CAPABILITY)) {
        throw OcpiError.notFound(`EVSE ${data.evse_uid} of session ${id} does not accept charging preferences (no ${CAPABILITY})`, OcpiStatus.INVALID_PARAMETERS);
      }
      const connector = connectorOf(evse, data.connector_id);
      if (!(await profileSupported(preferences.profile_type, connector?.data.tariff_ids))) return 'PROFILE_TYPE_NOT_SUPPORTED';
      const stored = await repository.setChargingPreferences(session.pk, preferences, FINAL_STATES);
      return stored ? 'ACCEPTED' : 'NOT_POSSIBLE';
    },

    /** The last preferences the owner set (404 when none). */
    async get(id: string): Promise<ChargingPreferences> {
      const session = await sessions.get(id);
      if (!session.chargingPreferences) throw OcpiError.notFound(`Session ${id} has no charging preferences`, OcpiStatus.CLIENT_ERROR);
      return session.chargingPreferences as ChargingPreferences;
    },
  };
}

export type ChargingPreferencesService = ReturnType<typeof createChargingPreferencesService>;
