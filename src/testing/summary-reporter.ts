/**
 * Prints one plain closing line ("tests: N passed, N failed, N skipped") that CI reads,
 * and fails the run when anything was skipped: a skipped test counts as a failure here.
 * Before it, the time each project took and its slowest files, so a slow suite says where its minutes go.
 */
import type { Reporter, TestModule } from 'vitest/node';

const SLOWEST_SHOWN = 8;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const byProject = new Map<string, Array<{ file: string; ms: number }>>();
    for (const m of testModules) {
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++; // a file that failed to load
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      const project = m.project.name || 'default';
      const files = byProject.get(project) ?? [];
      files.push({ file: m.relativeModuleId, ms: m.diagnostic().duration });
      byProject.set(project, files);
    }
    for (const [project, files] of byProject) {
      const total = files.reduce((sum, f) => sum + f.ms, 0);
      const slowest = [...files].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_SHOWN);
      console.log(`\n${project}: ${files.length} files, ${seconds(total)} of test time; slowest:`);
      for (const f of slowest) console.log(`  ${seconds(f.ms).padStart(7)}  ${f.file}`);
    }
    console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    if (skipped > 0 && process.env.TANU_ALLOW_SKIP !== '1') {
      console.error('skipped tests count as failures (set TANU_ALLOW_SKIP=1 only while filtering tests locally)');
      process.exitCode = 1;
    }
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
