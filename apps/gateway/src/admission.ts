import { driver, trip, user } from '@uitgo/grpc';
import { AdmissionControl } from '@uitgo/kit';

interface Definition {
  fullName: string;
  methods: Record<string, { name: string }>;
}

const pathsOf = <D extends Definition>(definition: D, methods: (keyof D['methods'] & string)[]) =>
  methods.map((method) => `/${definition.fullName}/${definition.methods[method]!.name}`);

/**
 * What the gateway may refuse while the service behind it is saturated: new work (a quote, a
 * trip request, a nearby search) and reads a client can repeat. Never refused: work already
 * begun (a driver accepting an offer, a trip's transitions and cancellations, ratings), a
 * driver's list of its offers (an app without a WebSocket polls it to see an offer in time),
 * locations, going on- or offline, profile and document writes, and sign-ins (the auth
 * service bounds password hashing itself). Under overload those are what free capacity, and
 * refusing them would strand a trip half way.
 */
export const SHEDDABLE_METHODS: ReadonlySet<string> = new Set([
  ...pathsOf(trip.TripServiceDefinition, ['quoteTrip', 'createTrip', 'getTrip', 'batchGetTrips', 'listTrips', 'getReceipt']),
  ...pathsOf(driver.DriverServiceDefinition, ['searchNearbyDrivers', 'batchSearchNearbyDrivers', 'getDriverProfile', 'getLocationTrack']),
  ...pathsOf(user.UserServiceDefinition, ['getProfile', 'listProfiles', 'listDocuments', 'listVerificationDecisions']),
]);

/**
 * Paced besides by how late the trip events reach this gateway (TripLiveFanout): a trip request
 * answered at once is still useless if its offer reaches the driver seconds late.
 */
export const PACED_BY_EVENT_LAG: ReadonlySet<string> = new Set(pathsOf(trip.TripServiceDefinition, ['createTrip']));

/** The gateway's admission control (see AdmissionControl), or none when the budget is 0. */
export function gatewayAdmission(budgetMs: number): AdmissionControl | undefined {
  return budgetMs > 0 ? new AdmissionControl({ budgetMs, sheddable: SHEDDABLE_METHODS, pacedByLag: PACED_BY_EVENT_LAG }) : undefined;
}
