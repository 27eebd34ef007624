# ruff: noqa: E501
"""JS/TS tools: jest, vitest, mocha, node:test, ava, jasmine, playwright, cypress, eslint,
prettier, stylelint, tsc, webpack, vite, rollup, esbuild, npm, yarn, pnpm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generate import CHECKOUT, NPM_CI, Case
from more_cases import SETUP_NODE, Run, StepLike, add, case

JS = [CHECKOUT, SETUP_NODE, NPM_CI]
PKG = '{"name": "proj", "version": "1.0.0", "private": true}\n'
PKG_ESM = '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n'


def js(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("prelude", JS)
    kw.setdefault("version", f"npx {tool.split()[0]} --version")
    return case(name, category, tool, steps, {"package.json": PKG, **files}, js=True, **kw)


add(
    js(
        "js_jest_to_equal",
        "test_failure",
        "jest",
        ["npx jest --ci"],
        {
            "cart.js": "exports.total = (items) => items.reduce((s, i) => s + i.price, 0);\nexports.summary = (items) => ({ count: items.length, total: exports.total(items), currency: 'EUR' });\n",
            "cart.test.js": """
                const { total, summary } = require('./cart');

                describe('cart', () => {
                  test('totals prices', () => {
                    expect(total([{ price: 2 }, { price: 3 }])).toBe(5);
                  });
                  test('summarises', () => {
                    expect(summary([{ price: 2 }])).toEqual({ count: 1, total: 2, currency: 'USD' });
                  });
                });
                """,
        },
        failures=[
            (
                "cart › summarises",
                "expect(received).toEqual(expected) // deep equality",
                "cart.test.js:8",
            )
        ],
        key=["expect(received).toEqual(expected)"],
    ),
    js(
        "js_jest_thrown_error",
        "test_failure",
        "jest",
        ["npx jest --ci"],
        {
            "parse.js": "exports.parse = (s) => JSON.parse(s).items.map((i) => i.id);\n",
            "parse.test.js": """
                const { parse } = require('./parse');

                test('parses items', () => {
                  expect(parse('{"items": [{"id": 1}]}')).toEqual([1]);
                });

                test('parses empty payload', () => {
                  expect(parse('{}')).toEqual([]);
                });
                """,
        },
        failures=[
            (
                "parses empty payload",
                "TypeError: Cannot read properties of undefined (reading 'map')",
                "parse.test.js:8",
            )
        ],
        key=["TypeError: Cannot read properties of undefined (reading 'map')"],
    ),
    js(
        "js_jest_timeout",
        "timeout",
        "jest",
        ["npx jest --ci --testTimeout=200"],
        {
            "wait.test.js": """
                test('waits for the queue to drain', async () => {
                  await new Promise((resolve) => setTimeout(resolve, 5000));
                });

                test('fast', () => {
                  expect(1 + 1).toBe(2);
                });
                """,
        },
        failures=[
            (
                "waits for the queue to drain",
                "Exceeded timeout of 200 ms for a test.",
                "wait.test.js:1",
            )
        ],
        key=["Exceeded timeout of 200 ms for a test."],
    ),
    js(
        "js_jest_worker_killed",
        "oom_killed",
        "jest",
        ["npx jest --ci --maxWorkers=2"],
        {
            "a.test.js": "test('a', () => { expect(1).toBe(1); });\n",
            "b.test.js": "test('loads the whole fixture set', () => {\n  // what the OOM killer does to a worker that grew too big\n  process.kill(process.pid, 'SIGKILL');\n});\n",
            "c.test.js": "test('c', () => { expect(2).toBe(2); });\n",
        },
        key=["was terminated by another process: signal=SIGKILL"],
        note="the jest worker is SIGKILLed as the OOM killer would",
    ),
    js(
        "js_jest_network_in_test",
        "infra_network",
        "jest",
        ["npx jest --ci"],
        {
            "api.test.js": """
                test('fetches the latest release', async () => {
                  const res = await fetch('https://api.github.com/repos/octo/proj/releases/latest');
                  expect(res.status).toBe(200);
                });
                """,
        },
        failures=[("fetches the latest release", "TypeError: fetch failed", "api.test.js:2")],
        key=["getaddrinfo ENOTFOUND api.github.com"],
        note="the test fails because DNS failed: infrastructure",
    ),
    js(
        "js_vitest_to_equal",
        "test_failure",
        "vitest",
        ["npx vitest run"],
        {
            "src/slug.js": "export const slug = (s) => s.toLowerCase().replace(/ /g, '-');\n",
            "src/slug.test.js": """
                import { describe, expect, it } from 'vitest';
                import { slug } from './slug';

                describe('slug', () => {
                  it('lowercases', () => {
                    expect(slug('Hello')).toBe('hello');
                  });
                  it('collapses spaces', () => {
                    expect(slug('Hello  World')).toBe('hello-world');
                  });
                });
                """,
        },
        failures=[
            (
                "src/slug.test.js > slug > collapses spaces",
                "AssertionError: expected 'hello--world' to be 'hello-world' // Object.is equality",
                "src/slug.test.js:9",
            )
        ],
        key=["AssertionError: expected 'hello--world' to be 'hello-world'"],
        version="npx vitest --version",
    ),
    js(
        "js_vitest_thrown",
        "test_failure",
        "vitest",
        ["npx vitest run --reporter=verbose"],
        {
            "src/conf.js": "export function load(env) {\n  if (!env.API_URL) throw new Error('API_URL is not set');\n  return { url: env.API_URL };\n}\n",
            "src/conf.test.js": """
                import { expect, test } from 'vitest';
                import { load } from './conf';

                test('reads the url', () => {
                  expect(load({ API_URL: 'http://x' }).url).toBe('http://x');
                });

                test('defaults', () => {
                  expect(load({}).url).toBe('http://localhost');
                });
                """,
        },
        failures=[
            ("src/conf.test.js > defaults", "Error: API_URL is not set", "src/conf.test.js:9")
        ],
        key=["Error: API_URL is not set"],
        version="npx vitest --version",
    ),
    js(
        "js_mocha_deep_equal",
        "test_failure",
        "mocha",
        ["npx mocha --no-color test/"],
        {
            "test/user.test.js": """
                const assert = require('assert');

                describe('user', function () {
                  it('builds a profile', function () {
                    assert.deepStrictEqual({ name: 'ada', admin: true }, { name: 'ada', admin: false });
                  });
                  it('has a name', function () {
                    assert.ok('ada');
                  });
                });
                """,
        },
        failures=[
            (
                "user builds a profile",
                "AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:",
                "test/user.test.js:5",
            )
        ],
        key=["AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:"],
    ),
    js(
        "js_mocha_timeout",
        "timeout",
        "mocha",
        ["npx mocha --no-color --timeout 200 test/"],
        {
            "test/slow.test.js": """
                describe('queue', function () {
                  it('drains', function (done) {
                    setTimeout(done, 5000);
                  });
                });
                """,
        },
        failures=[("queue drains", "Error: Timeout of 1ms exceeded.", None)],
        key=["Error: Timeout of 1ms exceeded."],
        note="the generator normalises durations: the real run said 200ms",
    ),
    js(
        "js_node_test_spec",
        "test_failure",
        "node:test",
        ["node --test"],
        {
            "package.json": PKG_ESM,
            "test/math.test.js": """
                import { test } from 'node:test';
                import assert from 'node:assert/strict';

                test('adds', () => {
                  assert.equal(1 + 1, 2);
                });

                test('multiplies', () => {
                  assert.equal(3 * 3, 10);
                });
                """,
        },
        failures=[("multiplies", "Expected values to be strictly equal:", "test/math.test.js:9")],
        key=["Expected values to be strictly equal:"],
        version="node --version",
    ),
    js(
        "js_ava_failure",
        "test_failure",
        "ava",
        ["npx ava"],
        {
            "package.json": PKG_ESM,
            "test.js": """
                import test from 'ava';

                test('sums', (t) => {
                  t.is([1, 2, 3].reduce((a, b) => a + b), 7);
                });

                test('ok', (t) => {
                  t.pass();
                });
                """,
        },
        failures=[("sums", "Difference (- actual, + expected):", "test.js:4")],
        key=["sums"],
    ),
    js(
        "js_jasmine_failure",
        "test_failure",
        "jasmine",
        ["npx jasmine spec/*.spec.js"],
        {
            "spec/money.spec.js": """
                describe('money', () => {
                  it('formats cents', () => {
                    expect((1234 / 100).toFixed(1)).toEqual('12.34');
                  });
                });
                """,
        },
        failures=[
            ("money formats cents", "Expected '12.3' to equal '12.34'.", "spec/money.spec.js:3")
        ],
        key=["Expected '12.3' to equal '12.34'."],
    ),
    js(
        "js_playwright_no_browser",
        "dependency_install",
        "playwright",
        [Run("npx playwright test --reporter=list", timeout=200)],
        {
            "playwright.config.js": "module.exports = { testDir: './e2e', use: { browserName: 'chromium' } };\n",
            "e2e/home.spec.js": """
                const { test, expect } = require('@playwright/test');

                test('home page has a title', async ({ page }) => {
                  await page.setContent('<title>Proj</title>');
                  await expect(page).toHaveTitle(/Proj/);
                });
                """,
        },
        tests=["e2e/home.spec.js:3:1 › home page has a title"],
        key=["Executable doesn't exist at"],
        note="the browsers were never installed (no `playwright install` step)",
    ),
    js(
        "js_playwright_install_dns",
        "infra_network",
        "playwright",
        [Run("npx playwright install chromium", timeout=200)],
        {},
        key=["Error: getaddrinfo ENOTFOUND cdn.playwright.dev"],
    ),
    js(
        "js_cypress_binary_missing",
        "dependency_install",
        "cypress",
        [Run("npx cypress run", timeout=200)],
        {"cypress.config.js": "module.exports = { e2e: { supportFile: false } };\n"},
        key=["The cypress npm package is installed, but the Cypress binary is missing."],
    ),
    js(
        "js_cypress_install_dns",
        "infra_network",
        "cypress",
        [Run("npx cypress install", timeout=200)],
        {},
        key=["getaddrinfo"],
    ),
    js(
        "js_eslint_many",
        "lint",
        "eslint",
        [
            "npx eslint --no-eslintrc --env browser,es2022 --rule 'eqeqeq: error' --rule 'no-unused-vars: error' --rule 'no-console: error' src"
        ],
        {
            "src/app.js": "const unused = 1;\nfunction check(a) {\n  if (a == null) console.log('none');\n  return a;\n}\ncheck(1);\n",
        },
        key=["Expected '===' and instead saw '=='"],
    ),
    js(
        "js_eslint_parse_error",
        "lint",
        "eslint",
        ["npx eslint --no-eslintrc --parser-options=ecmaVersion:2022 src"],
        {"src/bad.js": "const x = {\n  a: 1,\n  b: 2\n;\n"},
        key=["Parsing error: Unexpected token ;"],
    ),
    js(
        "js_prettier_many",
        "format",
        "prettier",
        ["npx prettier --check 'src/**/*.{js,json,css}'"],
        {
            "src/a.js": "const a = {b:1,\n  c:2}\n",
            "src/b.json": '{"x":1,   "y":2}\n',
            "src/ok.css": "a {\n  color: red;\n}\n",
        },
        key=["Code style issues found in 2 files. Run Prettier with --write to fix."],
    ),
    js(
        "js_stylelint",
        "lint",
        "stylelint",
        ["npx stylelint 'styles/**/*.css'"],
        {
            ".stylelintrc.json": '{"extends": "stylelint-config-standard"}\n',
            "styles/main.css": "a { color: #FFF; }\n.b {colr: red}\n",
        },
        key=['2:5  ✖  Unknown property "colr"  property-no-unknown'],
    ),
    js(
        "js_tsc_noemit",
        "type_check",
        "tsc",
        ["npx tsc --noEmit -p ."],
        {
            "tsconfig.json": '{"compilerOptions": {"strict": true, "target": "es2022", "module": "commonjs", "types": []}, "include": ["src"]}\n',
            "src/user.ts": "interface User { name: string; age: number }\n\nexport function greet(u: User): string {\n  return 'hi ' + u.nmae;\n}\n\ngreet({ name: 'ada' });\n",
        },
        key=["src/user.ts(4,20): error TS2339: Property 'nmae' does not exist on type 'User'."],
    ),
    js(
        "js_tsc_pretty",
        "type_check",
        "tsc",
        ["npx tsc -p tsconfig.json"],
        {
            "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "types": []}, "files": ["index.ts"]}\n',
            "index.ts": "const port: number = process.env.PORT;\nexport default port;\n",
        },
        key=["Cannot find name 'process'"],
    ),
    js(
        "js_webpack_module_not_found",
        "build",
        "webpack",
        ["npx webpack --mode production --entry ./src/index.js"],
        {"src/index.js": "import { api } from './api/client';\nconsole.log(api);\n"},
        key=["Module not found: Error: Can't resolve './api/client'"],
    ),
    js(
        "js_vite_build_unresolved",
        "build",
        "vite",
        ["npx vite build"],
        {
            "package.json": PKG_ESM,
            "index.html": '<!doctype html><html><body><script type="module" src="/src/main.js"></script></body></html>\n',
            "src/main.js": "import { render } from './render.js';\nrender();\n",
        },
        key=["Could not resolve './render.js' in src/main.js"],
    ),
    js(
        "js_rollup_unresolved",
        "build",
        "rollup",
        ["npx rollup src/index.js --file dist/bundle.js --format es"],
        {
            "package.json": PKG_ESM,
            "src/index.js": "export { helper } from './helpers/missing.js';\n",
        },
        key=['RollupError: Could not resolve "./helpers/missing.js" from "src/index.js"'],
    ),
    js(
        "js_esbuild_error",
        "build",
        "esbuild",
        ["npx esbuild src/app.ts --bundle --outfile=dist/app.js"],
        {"src/app.ts": "import { db } from './db';\nconst x: number = ;\nconsole.log(db, x);\n"},
        key=["ERROR"],
    ),
    js(
        "js_node_enospc",
        "disk_full",
        "node",
        ["node scripts/build-cache.js"],
        {
            "scripts/build-cache.js": "const fs = require('fs');\nconsole.log('writing cache');\nfs.writeFileSync('/dev/full', Buffer.alloc(1 << 20));\n"
        },
        key=["ENOSPC: no space left on device, write"],
        version="node --version",
    ),
)

NPM = [CHECKOUT, SETUP_NODE]
NPMV = "npm --version"


def npm(
    name: str,
    category: str,
    steps: Sequence[StepLike],
    files: dict[str, str],
    key: list[str],
    tool: str = "npm",
    **kw: Any,
) -> Case:
    kw.setdefault("version", NPMV)
    return case(
        name,
        category,
        tool,
        [Run(s, timeout=240) if isinstance(s, str) else s for s in steps],
        files,
        key=key,
        prelude=NPM,
        **kw,
    )


add(
    npm(
        "npm_eresolve_peer",
        "dependency_install",
        ["npm install --no-audit --no-fund --cache .npmcache"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "dependencies": {"react": "17.0.2", "react-dom": "18.2.0"}}\n'
        },
        ["npm error code ERESOLVE"],
    ),
    npm(
        "npm_ci_out_of_sync",
        "dependency_install",
        ["npm ci --no-audit --no-fund --cache .npmcache"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "lockfileVersion": 3, "dependencies": {"left-pad": "^1.3.0", "is-odd": "^3.0.1"}}\n',
            "package-lock.json": '{"name": "proj", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": "proj", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}, "node_modules/left-pad": {"version": "1.3.0", "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEa6JFI3Hg3GRq4g0kpIMbqhmzBaPDzGy4MoYi7+gHEbkmdvQ=="}}}\n',
        },
        [
            "`npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync."
        ],
    ),
    npm(
        "npm_e404",
        "dependency_install",
        ["npm install --no-audit --no-fund --cache .npmcache @octo-corpus/not-a-real-package-xyz"],
        {"package.json": PKG},
        ["npm error code E404"],
    ),
    npm(
        "npm_eintegrity",
        "dependency_install",
        ["npm ci --no-audit --no-fund --cache .npmcache"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}}\n',
            "package-lock.json": '{"name": "proj", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": "proj", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}}, "node_modules/left-pad": {"version": "1.3.0", "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", "integrity": "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}}}\n',
        },
        ["npm error code EINTEGRITY"],
    ),
    npm(
        "npm_dns_private_registry",
        "infra_network",
        [
            "npm install --no-audit --no-fund --cache .npmcache --fetch-retries=0 --registry https://npm.pkg.github.com/ @octo/ui"
        ],
        {"package.json": PKG},
        ["ENOTFOUND"],
    ),
    npm(
        "npm_registry_503",
        "infra_network",
        [
            "npm install --no-audit --no-fund --cache .npmcache --fetch-retries=1 --fetch-retry-mintimeout=100 --registry http://127.0.0.1:{p503}/ left-pad"
        ],
        {"package.json": PKG},
        ["503"],
    ),
    npm(
        "npm_registry_429",
        "infra_network",
        [
            "npm install --no-audit --no-fund --cache .npmcache --fetch-retries=1 --fetch-retry-mintimeout=100 --registry http://127.0.0.1:{p429}/ is-odd"
        ],
        {"package.json": PKG},
        ["429"],
    ),
    npm(
        "npm_econnreset",
        "infra_network",
        [
            "npm install --no-audit --no-fund --cache .npmcache --fetch-retries=0 --registry http://127.0.0.1:{preset}/ chalk"
        ],
        {"package.json": PKG},
        ["ECONNRESET"],
    ),
    npm(
        "npm_self_signed_cert",
        "infra_network",
        [
            "npm install --no-audit --no-fund --cache .npmcache --fetch-retries=0 --registry https://127.0.0.1:{ptls}/ lodash"
        ],
        {"package.json": PKG},
        ["self-signed certificate"],
    ),
    npm(
        "yarn_frozen_lockfile",
        "dependency_install",
        ["yarn install --frozen-lockfile --non-interactive --cache-folder .yarncache"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0", "is-odd": "^3.0.1"}}\n',
            "yarn.lock": '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\nleft-pad@^1.3.0:\n  version "1.3.0"\n  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e"\n  integrity sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEa6JFI3Hg3GRq4g0kpIMbqhmzBaPDzGy4MoYi7+gHEbkmdvQ==\n',
        },
        ["Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`."],
        tool="yarn",
        version="yarn --version",
    ),
    npm(
        "pnpm_outdated_lockfile",
        "dependency_install",
        ["pnpm install --frozen-lockfile --store-dir .pnpm-store"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0", "is-odd": "^3.0.1"}}\n',
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n      left-pad:\n        specifier: ^1.3.0\n        version: 1.3.0\n\npackages:\n\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEa6JFI3Hg3GRq4g0kpIMbqhmzBaPDzGy4MoYi7+gHEbkmdvQ==}\n    deprecated: use String.prototype.padStart()\n\nsnapshots:\n\n  left-pad@1.3.0: {}\n",
        },
        ["ERR_PNPM_OUTDATED_LOCKFILE"],
        tool="pnpm",
        version="pnpm --version",
    ),
    js(
        "js_lint_coe_then_jest",
        "test_failure",
        "jest",
        [
            Run(
                "npx eslint --no-eslintrc --rule 'no-undef: error' --env node src",
                continue_on_error=True,
            ),
            "npx jest --ci",
        ],
        {
            "src/a.js": "module.exports = () => missingGlobal;\n",
            "src/math.test.js": "test('rounds', () => { expect(Math.round(2.5)).toBe(2); });\n",
        },
        failures=[
            (
                "rounds",
                "expect(received).toBe(expected) // Object.is equality",
                "src/math.test.js:1",
            )
        ],
        key=["expect(received).toBe(expected)"],
        failed_steps=[
            ("Run npx eslint --no-eslintrc --rule 'no-undef: error' --env node src", "lint"),
            ("Run npx jest --ci", "test_failure"),
        ],
        note="eslint has continue-on-error; the job fails because of the test",
    ),
)
