import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line `N passed, N failed, N skipped` after the default reporter, and
 * the errors no test owns (a failing `beforeAll`, an import that throws, an unhandled rejection),
 * so a run whose tests were all skipped by such an error never reads as clean.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const outside = testModules.reduce((sum, module) => sum + module.errors().length, 0) + unhandledErrors.length;
    const errors = outside === 0 ? '' : `, ${outside} error${outside === 1 ? '' : 's'} outside tests`;
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${errors}\n`);
  }
}
