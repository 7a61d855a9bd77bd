import { takePageProblems } from './browser';

// A dashboard that throws or logs an error fails the test that caused it, whatever it asserted.
afterEach(() => {
  expect(takePageProblems()).toEqual([]);
});
