import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiCookieAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '@meetnet/contracts';

export const ROLES_KEY = 'meetnet:roles';
export const PUBLIC_KEY = 'meetnet:public';
export const SESSION_COOKIE = 'meetnet_session';

/**
 * The roles a route admits. Written into the OpenAPI document too (`x-meetnet-roles`), so the
 * route table test checks every route against what it declares.
 */
export function Roles(...roles: readonly Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiExtension('x-meetnet-roles', roles),
    ApiCookieAuth(SESSION_COOKIE),
    ApiUnauthorizedResponse({ description: 'No valid session' }),
    ApiForbiddenResponse({ description: `Only for ${roles.join(', ')}` }),
  );
}

/** Open to anyone: sign-in itself and the probes. Every other route must say `@Roles(...)`. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-meetnet-public', true));
}
