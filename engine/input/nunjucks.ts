/**
 * nunjucks, loaded on first use: most spec files hold no template syntax, and a command-line run
 * should not pay for loading the template engine when none does.
 */
import { createRequire } from 'node:module';
import type Nunjucks from 'nunjucks';

let loaded: typeof Nunjucks | undefined;

export function nunjucks(): typeof Nunjucks {
  loaded ??= createRequire(import.meta.url)('nunjucks') as typeof Nunjucks;
  return loaded;
}
