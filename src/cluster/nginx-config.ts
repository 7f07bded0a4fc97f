// The repository's nginx site (deploy/nginx/gov-report.conf) rendered for a given listening address and
// set of replicas, and the main configuration of a private nginx that runs it without root (its pid,
// logs and temporary files in a folder of its own).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NGINX_SITE = fileURLToPath(new URL('../../deploy/nginx/gov-report.conf', import.meta.url));

/** The site with `listen` and the upstream's server lines replaced; everything else as in the repository. */
export function renderSite(site: string, options: { listen: string; replicas: readonly string[] }): string {
  const lines = site.split('\n');
  const begin = lines.findIndex((line) => line.trim().startsWith('# replicas: begin'));
  const end = lines.findIndex((line) => line.trim().startsWith('# replicas: end'));
  if (begin < 0 || end < begin) throw new Error('the nginx site has no "# replicas: begin" … "# replicas: end" lines');
  const indent = /^\s*/.exec(lines[begin]!)![0];
  // Each replica with the parameters the site gives its first server line (max_fails, fail_timeout …).
  const parameters = lines.slice(begin + 1, end).map((line) => /^\s*server\s+\S+([^;]*);/.exec(line)?.[1]).find((found) => found !== undefined) ?? '';
  const servers = options.replicas.map((address) => `${indent}server ${address}${parameters};`);
  const rendered = [...lines.slice(0, begin + 1), ...servers, ...lines.slice(end)].join('\n');
  if (!/^\s*listen [^;]+;/m.test(rendered)) throw new Error('the nginx site has no listen line');
  return rendered.replace(/^(\s*)listen [^;]+;/m, `$1listen ${options.listen};`);
}

/** A whole nginx.conf for an unprivileged nginx in the foreground that includes `sitePath`. */
export function renderMainConfig(options: { runtimeDir: string; sitePath: string; workerProcesses?: number }): string {
  const temp = (name: string): string => path.join(options.runtimeDir, name);
  // Started by root, nginx's workers would drop to `nobody`, who cannot write the private temporary folders
  // (an upload larger than the body buffer is written there first): they stay with the user who started it.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `# Written by npm run cluster: a private nginx for the replicas (see deploy/nginx/gov-report.conf).
${user}worker_processes ${options.workerProcesses ?? 1};
daemon off;
pid ${temp('nginx.pid')};
# Its errors (a replica refusing, timing out) in the launcher's output, prefixed [nginx].
error_log stderr warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
    client_body_temp_path ${temp('client-body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
    include ${options.sitePath};
}
`;
}
