/**
 * Rendering the report model to Markdown with the nunjucks template beside this file. Markdown is
 * not HTML: autoescaping is off, values are pre-formatted strings.
 */
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import type { ReportModel } from './model.ts';
import type { StatusReportModel } from './status-model.ts';
import { REPO_ROOT } from '../repo-root.ts';

const TEMPLATE_DIR = join(REPO_ROOT, 'scripts', 'lib', 'report', 'templates');

function render(template: string, model: object): string {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_DIR), {
    autoescape: false,
    throwOnUndefined: true,
    trimBlocks: false,
  });
  // Collapse runs of blank lines the template's control tags leave behind; keep one trailing newline.
  return env.render(template, model).replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

export function renderSuiteReport(model: ReportModel): string {
  return render('suite.md.njk', model);
}

/** A status suite's report (`report: status`, e.g. golden/corpus). */
export function renderStatusReport(model: StatusReportModel): string {
  return render('status.md.njk', model);
}
