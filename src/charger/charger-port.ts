/**
 * The charge point side (ARCHITECTURE §9): where an eMSP's command goes once the node has checked it.
 * `forward` resolves to whether the CSMS (or the simulator) took the command; the outcome is reported
 * later, through the commands service's result recording (`POST /admin/commands/{id}/result` for a
 * CSMS); it never throws.
 */
export interface ChargerCommand {
  /** Our id of the command (the one the CSMS reports the outcome under). */
  id: string;
  command: string;
  /** The OCPI command body minus `response_url`, with the location, EVSE, connector and our reservation id resolved. */
  body: Record<string, unknown>;
}

export interface ChargerPort {
  readonly name: 'webhook' | 'simulator';
  forward(command: ChargerCommand): Promise<boolean>;
}
