// Lints the container files, and resolves a compose file as Compose would, for the tests (no container engine here).
//   node docker/lint/check.mjs lint [Dockerfile [compose.yaml ...]]   every problem printed; exit 1 if there is any
//   node docker/lint/check.mjs resolve compose.yaml                    the file as JSON: merge keys applied, ${VAR}s filled
import { readFile, readdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const docker = resolve(here, '..');

async function lint(dockerfile, composeFiles) {
  let problems = 0;
  const text = await readFile(dockerfile, 'utf8');
  // Every diagnostic counts, whatever severity the validator gives it.
  for (const d of validate(text)) {
    problems++;
    console.log(`${dockerfile}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
  }

  const dclint = join(here, 'node_modules', '.bin', 'dclint');
  const run = spawnSync(dclint, [...composeFiles, '--max-warnings', '0', '--no-color'], { encoding: 'utf8' });
  if (run.status !== 0) {
    problems++;
    process.stdout.write(run.stdout + run.stderr);
  }

  console.log(problems === 0 ? `lint: ${dockerfile} and ${composeFiles.length} compose file(s) clean` : `lint: problems found`);
  return problems === 0 ? 0 : 1;
}

// Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, and $$ for a dollar.
function interpolate(value, env) {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^}])*))?\}/g, (whole, name, colon, op, arg) => {
    if (whole === '$$') return '$';
    const set = Object.hasOwn(env, name) && (colon ? env[name] !== '' : true);
    if (set) return env[name];
    if (op === '-') return arg;
    if (op === '?') throw new Error(`${name}: ${arg || 'required'}`);
    return '';
  });
}

function fill(node, env) {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => fill(item, env));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, env)]));
  return node;
}

async function resolveCompose(file) {
  const document = parse(await readFile(file, 'utf8'), { merge: true });
  try {
    console.log(JSON.stringify(fill(document, process.env), null, 2));
    return 0;
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    return 1;
  }
}

const [command, ...rest] = process.argv.slice(2);
let code;
if (command === 'lint') {
  const dockerfile = rest[0] ?? join(docker, 'Dockerfile');
  const compose = rest.length > 1
    ? rest.slice(1)
    : (await readdir(docker)).filter((f) => /^compose.*\.ya?ml$/.test(f)).map((f) => join(docker, f));
  code = await lint(dockerfile, compose);
} else if (command === 'resolve' && rest.length === 1) {
  code = await resolveCompose(rest[0]);
} else {
  console.error('usage: check.mjs lint [Dockerfile [compose.yaml ...]] | check.mjs resolve compose.yaml');
  code = 2;
}
process.exitCode = code;
