import type { Metrics } from '../../platform/metrics';

/** What the commands module records: both answers an eMSP gets for a command. */
export interface CommandRecorder {
  /** The CommandResponse we answered at once (ACCEPTED, REJECTED, NOT_SUPPORTED, UNKNOWN_SESSION). */
  responded(command: string, result: string): void;
  /** The CommandResult of an accepted command: the CSMS's report, or TIMEOUT when none came in time. */
  resulted(command: string, result: string): void;
}

export const noCommandMetrics: CommandRecorder = { responded: () => undefined, resulted: () => undefined };

/** Counters by command type and result: both are OCPI enums, so the label values stay bounded. */
export function commandMetrics(metrics: Metrics): CommandRecorder {
  const responses = metrics.counter('ocpi_command_responses_total', 'Commands received, by command type and the CommandResponse answered', ['command', 'result']);
  const results = metrics.counter('ocpi_command_results_total', 'Results of accepted commands (reported by the CSMS, or TIMEOUT), by command type and CommandResult', ['command', 'result']);
  return {
    responded: (command, result) => responses.inc({ command, result }),
    resulted: (command, result) => results.inc({ command, result }),
  };
}
