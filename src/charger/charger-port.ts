/**
 * The charge point side (ARCHITECTURE §9): where an eMSP's command goes once the node has checked it.
 * `forward` resolves to whether the CSMS took the command (it reports the outcome later, through
 * `POST /admin/commands/{id}/result`); it never throws.
 */
export interface ChargerCommand {
  /** Our id of the command (the one the CSMS reports the outcome under). */
  id: string;
  command: string;
  /** The OCPI command body minus `response_url`, with the location, EVSE, connector and our reservation id resolved. */
  body: Record<string, unknown>;
}

export interface ChargerPort {
  readonly name: 'webhook';
  forward(command: ChargerCommand): Promise<boolean>;
}
