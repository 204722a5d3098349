import { handleEventsByType, TOPICS, type UitgoEvent } from '@uitgo/contracts';
import type { Logger, RequestContext } from '@uitgo/kit';
import { eventContext, type DeliveredEvent, type SubscribeOptions } from '@uitgo/kit/events';
import type { UserStore } from '../ports/userStore.js';
import { ensureProfile } from '../useCases/createProfile.useCase.js';

export const USER_SERVICE_CONSUMER = 'user-service';

/**
 * Creates the profile of every registered account, as a safety net for the synchronous
 * CreateProfile call from the auth service. Redeliveries are skipped by event id, and an
 * existing profile is left as it is, so the two paths never conflict.
 */
export function userRegisteredConsumer(deps: { store: UserStore; logger: Logger; groupId?: string; fromBeginning?: boolean }): SubscribeOptions {
  const apply = async (event: UitgoEvent<'user.v1.registered'>, context: RequestContext | undefined) => {
    const { userId, email, role, fullName, phone, registeredAt } = event.payload;
    await deps.store.transaction(async (unit) => {
      if (!(await unit.firstDelivery(USER_SERVICE_CONSUMER, event.id))) return;
      const { created } = await ensureProfile(unit, { id: userId, email, role, fullName, phone, createdAt: new Date(registeredAt) });
      if (created) deps.logger.info({ userId, eventId: event.id }, 'profile created from user.v1.registered');
    }, context);
  };

  return {
    groupId: deps.groupId ?? USER_SERVICE_CONSUMER,
    topics: [TOPICS.identity],
    fromBeginning: deps.fromBeginning ?? true,
    // The delivered event's traceParent names the consumer span: the transaction nests under it.
    handle: handleEventsByType<DeliveredEvent>({ 'user.v1.registered': (event, delivered) => apply(event, eventContext(delivered)) }, (err, delivered) =>
      deps.logger.error({ err, eventId: delivered.id, offset: delivered.offset }, 'skipping malformed identity event'),
    ),
  };
}
