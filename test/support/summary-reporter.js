// Writes the run's totals to .tmp/test-summary.json so .ci/run can print "N passed, N failed" from the runner's own results.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = join(process.cwd(), '.tmp');
    mkdirSync(dir, { recursive: true });
    // A suite that failed to load counts as a failure even though it ran no test.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    writeFileSync(join(dir, 'test-summary.json'), JSON.stringify({ passed: results.numPassedTests, failed }));
  }
}
module.exports = SummaryReporter;
