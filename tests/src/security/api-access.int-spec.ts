import { LocalUserStore } from '@meetnet/accounts';
import { ROLES, type Role } from '@meetnet/contracts';
import { io } from 'socket.io-client';
import { LIVE_NAMESPACE } from '@meetnet/contracts';
import { createDatabase } from '../support/influxd';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import { influxUrl } from '../support/test-stack';
import { type ServiceInstance, startService } from '../support/service';
import { TEST_PASSWORD, testUserName, testUsersFile } from '../support/test-users';
import { waitFor } from '../support/wait-for';

/**
 * The routes anyone may call. A new public route must be added here on purpose; any other
 * route without `@Roles` fails the table below.
 */
const PUBLIC_OPERATIONS = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/v1/auth/options',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/oidc/login',
  'GET /api/v1/auth/oidc/callback',
  // Sensor.Community stations authenticate with their own basic auth, not a session.
  'POST /api/v1/sources/sensor-community',
  // The public map: read-only, its own rate limit, fields on an allow-list (public-map.int-spec.ts).
  'GET /api/v1/public/sensors',
  'GET /api/v1/public/sensors/{city}/{domain}/{sensorId}/week',
  'GET /api/v1/public/outlines/{city}',
  // Open data: the public map's choices in open standards (tests/src/opendata/).
  'GET /ngsi-ld/v1/entities',
  'GET /ngsi-ld/v1/entities/{id}',
  'GET /ngsi-ld/v1/temporal/entities/{id}',
  'GET /sta/v1.1',
  'GET /sta/v1.1/{path}',
  'GET /ldes/v1/contexts/verkeersmetingen-ap.jsonld',
  'GET /ldes/v1/{stream}',
  'GET /ldes/v1/{stream}/{at}',
];

interface Operation {
  method: string;
  path: string;
  roles: Role[] | undefined;
  isPublic: boolean;
}

async function operations(service: ServiceInstance): Promise<Operation[]> {
  const document = (await (await fetch(`${service.url}/api/docs-json`)).json()) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      roles: operation['x-meetnet-roles'] as Role[] | undefined,
      isPublic: operation['x-meetnet-public'] === true,
    })),
  );
}

/** Any value for a path parameter: the guard answers before the handler looks at it. */
const concrete = (path: string) =>
  path
    .replace('{city}', 'leuven')
    .replace('{domain}', 'air')
    .replace(/\{[^}]+\}/g, 'x');

let broker: MosquittoInstance;
let stores: Record<string, string>;
beforeAll(async () => {
  broker = await startMosquitto();
  stores = {
    MQTT_URL: broker.url,
    INFLUX_URL: influxUrl(),
    INFLUX_BUCKET: await createDatabase(influxUrl(), 'access_test'),
  };
});
afterAll(async () => {
  await broker?.stop();
});

describe('who may call what', () => {
  let service: ServiceInstance;
  let table: Operation[];

  beforeAll(async () => {
    service = await startService(stores);
    table = await operations(service);
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('finds the routes in the OpenAPI document, each public on purpose or with roles', () => {
    expect(table.length).toBeGreaterThanOrEqual(12);
    for (const operation of table) {
      const name = `${operation.method} ${operation.path}`;
      if (operation.isPublic) expect(PUBLIC_OPERATIONS).toContain(name);
      else expect({ name, hasRoles: Array.isArray(operation.roles) }).toEqual({ name, hasRoles: true });
    }
  });

  it('answers 401 without a session and 403 to the wrong role, on every guarded route', async () => {
    const outcomes: string[] = [];
    for (const operation of table.filter((o) => !o.isPublic)) {
      const path = concrete(operation.path);
      const anonymous = await fetch(`${service.url}${path}`, { method: operation.method });
      outcomes.push(`${operation.method} ${path} anonymous ${anonymous.status}`);
      for (const role of ROLES) {
        const response = await service.fetchAs(role, path, {
          method: operation.method,
          headers: { 'Content-Type': 'application/json' },
          body: operation.method === 'GET' ? undefined : '{}',
        });
        const allowed = operation.roles!.includes(role);
        const status = response.status;
        outcomes.push(
          `${operation.method} ${path} ${role} ${allowed ? (status === 401 || status === 403 ? status : 'passed') : status}`,
        );
      }
    }
    const expected = table
      .filter((o) => !o.isPublic)
      .flatMap((o) => [
        `${o.method} ${concrete(o.path)} anonymous 401`,
        ...ROLES.map(
          (role) => `${o.method} ${concrete(o.path)} ${role} ${o.roles!.includes(role) ? 'passed' : 403}`,
        ),
      ]);
    expect(outcomes).toEqual(expected);
  });

  it('refuses a forged or tampered session cookie', async () => {
    const cookie = await service.signIn('officer');
    const [header, payload] = cookie.split('=')[1]!.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const elevated = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    const forged = `meetnet_session=${header}.${elevated}.${cookie.split('.')[2]}`;
    expect((await fetch(`${service.url}/api/v1/admin/users`, { headers: { Cookie: forged } })).status).toBe(
      401,
    );
    const none = `meetnet_session=${Buffer.from('{"alg":"none"}').toString('base64url')}.${elevated}.`;
    expect((await fetch(`${service.url}/api/v1/auth/me`, { headers: { Cookie: none } })).status).toBe(401);
  });

  it('sets the session cookie httpOnly and SameSite=Strict, and ends it at logout', async () => {
    const response = await fetch(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: testUserName('analyst'), password: TEST_PASSWORD }),
    });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const me = await fetch(`${service.url}/api/v1/auth/me`, { headers: { Cookie: cookie } });
    expect(await me.json()).toMatchObject({ name: 'analyst-test', roles: ['analyst'], provider: 'local' });
    expect(
      (await fetch(`${service.url}/api/v1/auth/logout`, { method: 'POST', headers: { Cookie: cookie } }))
        .status,
    ).toBe(204);
    // The same token, replayed after logout, is refused although it has not expired.
    expect((await fetch(`${service.url}/api/v1/auth/me`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('lets an admin add and remove a local user, whose session stops at once', async () => {
    const created = await service.fetchAs('admin', '/api/v1/admin/users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'tijdelijk', role: 'technician', password: 'een lang wachtwoord' }),
    });
    expect(created.status).toBe(201);
    const login = await fetch(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'tijdelijk', password: 'een lang wachtwoord' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${service.url}/api/v1/sensors`, { headers: { Cookie: cookie } })).status).toBe(200);
    const listed = (await (await service.fetchAs('admin', '/api/v1/admin/users')).json()) as object[];
    expect(listed).toContainEqual(expect.objectContaining({ name: 'tijdelijk', role: 'technician' }));
    expect(JSON.stringify(listed)).not.toContain('argon2');
    expect(
      (await service.fetchAs('admin', '/api/v1/admin/users/tijdelijk', { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await fetch(`${service.url}/api/v1/sensors`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('refuses a wrong password, unknown properties and oversized bodies with the reason', async () => {
    const login = (body: string) =>
      fetch(`${service.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
    expect((await login(JSON.stringify({ name: 'officer-test', password: 'wrong' }))).status).toBe(401);
    const extra = await login(
      JSON.stringify({ name: 'officer-test', password: TEST_PASSWORD, role: 'admin' }),
    );
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { message: string }).message).toBe(
      'Invalid request body: role: unknown property',
    );
    expect((await login(JSON.stringify({ name: 'x', password: 'y'.repeat(20_000) }))).status).toBe(413);
    const unknownQuery = await service.fetchAs('officer', '/api/v1/sensors/leuven/air/x/series?limit=5');
    expect(unknownQuery.status).toBe(400);
  });

  it('sends the security headers, and CORS only to allowed origins', async () => {
    const response = await fetch(`${service.url}/api/v1/auth/options`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps a socket without a valid session out of the live feed', async () => {
    const socket = io(`${service.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false });
    const events: string[] = [];
    socket.onAny((event: string) => events.push(event));
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
    expect(socket.connected).toBe(false);
    expect(events).toEqual([]);
    socket.close();
  });
});

describe('a password reset', () => {
  let service: ServiceInstance;

  beforeAll(async () => {
    service = await startService(stores);
  });
  afterAll(async () => {
    await service?.stop();
  });

  it("ends a user's sessions when they are added again with a new password (a reset, as `npm run user:add` does)", async () => {
    const created = await service.fetchAs('admin', '/api/v1/admin/users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'herstel', role: 'analyst', password: 'het oude wachtwoord' }),
    });
    const signIn = async (password: string) => {
      const login = await fetch(`${service.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'herstel', password }),
      });
      return login.headers.get('set-cookie')!.split(';')[0]!;
    };
    expect(created.status).toBe(201);
    const stolen = await signIn('het oude wachtwoord');
    expect((await fetch(`${service.url}/api/v1/sensors`, { headers: { Cookie: stolen } })).status).toBe(200);
    // Token times are whole seconds; the reset comes in a later one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const users = new LocalUserStore(await testUsersFile());
    await users.add('herstel', 'analyst', 'het nieuwe wachtwoord');
    try {
      expect((await fetch(`${service.url}/api/v1/sensors`, { headers: { Cookie: stolen } })).status).toBe(
        401,
      );
      const fresh = await signIn('het nieuwe wachtwoord');
      expect((await fetch(`${service.url}/api/v1/sensors`, { headers: { Cookie: fresh } })).status).toBe(200);
    } finally {
      users.remove('herstel');
    }
  });
});

describe('session expiry and rate limits', () => {
  let service: ServiceInstance;

  beforeAll(async () => {
    service = await startService({
      ...stores,
      SESSION_TTL_S: '5',
      CORS_ORIGINS: 'https://meetnet.leuven.be',
      RATE_LIMIT_LOGINS_PER_MIN: '8',
      RATE_LIMIT_READS_PER_MIN: '40',
    });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('disconnects a live socket when its session expires, and the API refuses the cookie', async () => {
    const cookie = await service.signIn('officer');
    const socket = io(`${service.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { Cookie: cookie },
    });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const ended = new Promise<string>((resolve) => socket.once('session_ended', resolve));
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(await ended).toBe('expired');
    expect(await disconnected).toBe('io server disconnect');
    expect((await fetch(`${service.url}/api/v1/auth/me`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('answers CORS for a listed origin, with credentials, and for no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${service.url}/api/v1/sensors`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
      });
    const listed = await preflight('https://meetnet.leuven.be');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://meetnet.leuven.be');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(
      (await preflight('https://meetnet.leuven.be.evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('holds exports to their own, tighter budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await service.fetchAs(
        'analyst',
        '/api/v1/export?sensor=leuven/air/x&field=no2&window=1h',
      );
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    // The default: 10 exports a minute, while reads allow 40 here.
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('answers 429 past the sign-in budget, and to reads past theirs, but never to probes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${service.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'officer-test', password: `guess-${i}` }),
      });
      statuses.push(response.status);
    }
    // The tests above signed in twice (officer, analyst): two of the eight.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429, 429]);
    const reads: number[] = [];
    for (let i = 0; i < 45; i++) reads.push((await fetch(`${service.url}/api/v1/auth/options`)).status);
    expect(reads.filter((s) => s === 429).length).toBeGreaterThan(0);
    await waitFor(
      'probes to answer while reads are limited',
      async () => (await fetch(`${service.url}/readyz`)).ok || undefined,
    );
    const limited = await fetch(`${service.url}/api/v1/auth/options`);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { message: string }).message).toMatch(/Too many requests/);
  });
});
