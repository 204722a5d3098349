import { handleEventsByType, TOPICS, type UitgoEvent } from '@uitgo/contracts';
import type { Logger } from '@uitgo/kit';
import { eventContext, type DeliveredEvent, type SubscribeOptions } from '@uitgo/kit/events';
import type { UserRepository } from '../ports/userRepository.js';

export const AUTH_SERVICE_CONSUMER = 'auth-service';

/**
 * Keeps the account's name and phone in step with the user service, which owns the profile:
 * access tokens (and so `GET /auth/me`) carry the name, and they are issued from here. Events
 * of one user share a partition, so they arrive in order; each sets the values it carries, so a
 * redelivery changes nothing.
 */
export function profileUpdatedConsumer(deps: { users: Pick<UserRepository, 'updateContact'>; logger: Logger; groupId?: string }): SubscribeOptions {
  const apply = async (event: UitgoEvent<'user.v1.profile_updated'>, delivered: DeliveredEvent) => {
    const { userId, fullName, phone } = event.payload;
    await deps.users.updateContact(userId, { fullName, phone }, eventContext(delivered));
  };

  return {
    groupId: deps.groupId ?? AUTH_SERVICE_CONSUMER,
    topics: [TOPICS.identity],
    fromBeginning: true,
    handle: handleEventsByType<DeliveredEvent>({ 'user.v1.profile_updated': apply }, (err, delivered) =>
      deps.logger.error({ err, eventId: delivered.id, offset: delivered.offset }, 'skipping malformed identity event'),
    ),
  };
}
