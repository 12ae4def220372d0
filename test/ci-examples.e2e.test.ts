import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { temporaryDir } from './helpers/local-engine.js';
import { ROOT, TEST_WORD_VECTORS } from './paths.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'working-directory'?: string;
}

const evaluationDoc = readFileSync(join(ROOT, 'docs/evaluation.md'), 'utf8');
const github = parse(readFileSync(join(ROOT, 'examples/ci/github-verbatim-eval.yml'), 'utf8'));
const gitlab = parse(readFileSync(join(ROOT, 'examples/ci/gitlab-verbatim-eval.yml'), 'utf8'));

/** The one eval command docs/evaluation.md's "Evaluation in CI" gives, as written there. */
function documentedEvalCommand(): string {
  const section = evaluationDoc.slice(evaluationDoc.indexOf('## Evaluation in CI'));
  const commands = section.split('\n').filter((line) => line.startsWith('npm run eval -- '));
  expect(commands).toHaveLength(1);
  return commands[0];
}

describe('CI examples', () => {
  const command = documentedEvalCommand();

  it('GitHub Actions: on pull requests, runs the documented command and publishes JUnit, job summary, comment and reports', () => {
    expect(Object.keys(github.on)).toContain('pull_request');
    expect(github.permissions).toMatchObject({ checks: 'write', 'pull-requests': 'write', actions: 'read' });
    expect(github.env.EVAL_OUT).toBe('${{ github.workspace }}/eval-report');
    const steps = Object.values(github.jobs as Record<string, { steps: Step[] }>)[0].steps;
    const byUse = (action: string) => steps.find((step) => step.uses?.startsWith(`${action}@`));

    expect(byUse('actions/checkout')).toBeDefined();
    expect(steps.find((step) => step.with?.repository === '${{ env.VERBATIM_REPOSITORY }}')?.with?.path).toBe('.verbatim');
    expect(steps.find((step) => step.run?.startsWith('npm ci'))?.['working-directory']).toBe('.verbatim');
    const evaluate = steps.find((step) => step.run?.includes('npm run eval'));
    expect(evaluate?.run?.trim()).toBe(command);
    expect(evaluate?.['working-directory']).toBe('.verbatim');

    // Everything after the eval runs when it fails too, reading the files it wrote.
    const after = steps.slice(steps.indexOf(evaluate!) + 1);
    expect(after.every((step) => step.if?.includes('!cancelled()'))).toBe(true);
    expect(after.find((step) => step.run?.includes('>> "$GITHUB_STEP_SUMMARY"'))?.run).toContain('cat "$EVAL_OUT/summary.md"');
    expect(byUse('mikepenz/action-junit-report')?.with?.report_paths).toBe('eval-report/junit.xml');
    expect(byUse('marocchino/sticky-pull-request-comment')?.with?.path).toBe('eval-report/summary.md');
    expect(byUse('marocchino/sticky-pull-request-comment')?.if).toContain("github.event_name == 'pull_request'");
    const upload = byUse('actions/upload-artifact');
    expect(upload?.with?.path).toBe('eval-report/');
    // The baseline is the artifact this same workflow uploaded on the target branch.
    const baseline = steps.find((step) => step.run?.includes('gh run download'));
    expect(baseline?.run).toContain(`--name ${upload?.with?.name}`);
    expect(baseline?.run).toContain('EVAL_BASELINE_ARGS=--baseline');
  });

  it('GitLab CI: on merge requests, runs the documented command and publishes the JUnit report, the HTML report and a note', () => {
    const job = gitlab['verbatim-eval'];
    expect(job.rules.map((rule: { if: string }) => rule.if)).toContain('$CI_PIPELINE_SOURCE == "merge_request_event"');
    expect(job.variables.EVAL_OUT).toBe('$CI_PROJECT_DIR/eval-report');
    expect(job.script).toEqual(['cd .verbatim', command]);
    expect(job.before_script.join('\n')).toMatch(/npm ci/);
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['eval-report/'], reports: { junit: 'eval-report/junit.xml' } });
    const note = job.after_script.join('\n');
    expect(note).toContain('/merge_requests/$CI_MERGE_REQUEST_IID/notes');
    expect(note).toContain('--data-urlencode "body@eval-report/summary.md"');
  });

  it('the documented command runs as written and writes the four reports, comparing with a baseline', () => {
    const dir = temporaryDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'harbour.txt'), 'The harbour has 120 moorings. The lighthouse keeper is Mara Quinn.');
    writeFileSync(
      join(dir, 'cases.jsonl'),
      `${JSON.stringify({ id: 'a', question: 'How many moorings does the harbour have?', must_include: ['120'] })}\n`,
    );
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ correct_rate: { min: 1 } }));
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ metrics: { correct_rate: 1 } }));
    const out = join(dir, 'eval-report');
    const run = spawnSync('bash', ['-c', command], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...process.env,
        ENV_FILE: 'none',
        WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
        EVAL_CASES: join(dir, 'cases.jsonl'),
        EVAL_DOCS: docs,
        EVAL_THRESHOLDS: join(dir, 'thresholds.json'),
        EVAL_BASELINE_ARGS: `--baseline ${join(dir, 'baseline.json')}`,
        EVAL_OUT: out,
      },
    });
    expect(run.status, run.stderr).toBe(0);
    for (const file of ['report.json', 'junit.xml', 'summary.md', 'report.html']) expect(existsSync(join(out, file)), file).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.baseline).toEqual({ correct_rate: 1 });
    expect(report.checks.map((c: { metric: string; kind: string }) => `${c.metric} ${c.kind}`)).toEqual([
      'correct_rate min',
      'correct_rate baseline',
    ]);
  });
});
