// Integration and fault tests start real brokers, databases and services: minutes, not jest's
// 5 s. (A project-level `testTimeout` is ignored when several projects run together.) The full
// fault sizes run 120 s outages with 248,000 messages.
jest.setTimeout(process.env['MEETNET_FAULT_SIZE'] === 'full' ? 900_000 : 120_000);
