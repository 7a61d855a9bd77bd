// Integration tests start real brokers, databases and services: minutes, not jest's 5 s.
// (A project-level `testTimeout` is ignored when several projects run together.)
jest.setTimeout(120_000);
