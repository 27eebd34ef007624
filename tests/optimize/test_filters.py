"""Every example of GitHub's "Filter pattern cheat sheet" (workflow syntax docs), plus the
order-sensitive negation rules stated beside it."""

from __future__ import annotations

import pytest

from bot.optimize.filters import included, paths_trigger
from bot.optimize.rules.common import event_hits_branches

# (patterns, matches, does not match) — branches and tags
BRANCHES = [
    (["feature/*"], ["feature/my-branch", "feature/your-branch"], ["feature/a/b", "feature"]),
    (
        ["feature/**"],
        ["feature/beta-a/my-branch", "feature/your-branch", "feature/mona/the/octocat"],
        ["features/x"],
    ),
    (["main", "releases/mona-the-octocat"], ["main", "releases/mona-the-octocat"], ["mainx"]),
    (["*"], ["main", "releases"], ["releases/v1"]),
    (["**"], ["all/the/branches", "every/tag"], []),
    (["*feature"], ["mona-feature", "feature", "ver-10-feature"], ["feature-x"]),
    (["v2*"], ["v2", "v2.0", "v2.9"], ["v3", "v2/x"]),
    (["v[12].[0-9]+.[0-9]+"], ["v1.10.1", "v2.0.0"], ["v3.0.0", "v1.x.1", "v1.1"]),
    (["releases/*"], ["releases/v1"], ["releases/v1/beta"]),
]
# paths
PATHS = [
    (["*"], ["README.md", "server.rb"], ["docs/README.md"]),
    (["*.jsx?"], ["page.js", "page.jsx"], ["page.jsxx", "src/page.js"]),
    (["**"], ["all/the/files.md"], []),
    (["*.js"], ["app.js", "index.js"], ["js/index.js"]),
    (["**.js"], ["index.js", "js/index.js", "src/js/app.js"], ["index.ts"]),
    (["docs/*"], ["docs/README.md", "docs/file.txt"], ["docs/a/b.md"]),
    (["docs/**"], ["docs/README.md", "docs/mona/octocat.txt"], ["doc/x"]),
    (
        ["docs/**/*.md"],
        ["docs/README.md", "docs/mona/hello-world.md", "docs/a/markdown/file.md"],
        ["docs/a.txt"],
    ),
    (
        ["**/docs/**"],
        ["docs/hello.md", "dir/docs/my-file.txt", "space/docs/plan/space.doc"],
        ["mydocs/x"],
    ),
    (["**/README.md"], ["README.md", "js/README.md"], ["README.mdx"]),
    (["**/*src/**"], ["a/src/app.js", "my-src/code/js/app.js"], ["src.js"]),
    (["**/*-post.md"], ["my-post.md", "path/their-post.md"], ["post.md"]),
    (
        ["**/migrate-*.sql"],
        ["migrate-10909.sql", "db/migrate-v1.0.sql", "db/sept/migrate-v1.sql"],
        ["migrate.sql"],
    ),
    (["*.md", "!README.md"], ["hello.md"], ["README.md", "docs/hello.md"]),
    (
        ["*.md", "!README.md", "README*"],
        ["README.md", "README.doc", "hello.md"],
        ["docs/hello.md"],
    ),
]


@pytest.mark.parametrize(("patterns", "yes", "no"), BRANCHES + PATHS)
def test_cheat_sheet(patterns, yes, no):
    for name in yes:
        assert included(patterns, name), (patterns, name)
    for name in no:
        assert not included(patterns, name), (patterns, name)


def test_escape_and_plus_quantifier():
    assert included([r"release\+1"], "release+1")
    assert not included([r"release\+1"], "releasee1")
    assert included(["ab+c"], "abbbc") and not included(["ab+c"], "ac")


def test_order_matters_for_negation():
    assert not included(["releases/**", "!releases/**-alpha"], "releases/v1-alpha")
    assert included(["!releases/**-alpha", "releases/**"], "releases/v1-alpha")


def test_branch_filters_in_triggers():
    assert not event_hits_branches({"branches": ["releases/*"]}, {"releases/v1/beta"})
    assert not event_hits_branches({"branches": ["**", "!main"]}, {"main"})
    assert event_hits_branches({"branches": ["**", "!main"]}, {"dev"})
    assert not event_hits_branches({"branches-ignore": ["main"]}, {"main"})


def test_paths_trigger():
    assert not paths_trigger({"paths-ignore": ["**.md"]}, ["README.md", "docs/a.md"])
    assert paths_trigger({"paths-ignore": ["**.md"]}, ["README.md", "src/a.py"])
    assert paths_trigger({"paths": ["src/**", "!src/**.md"]}, ["src/a.py"])
    assert not paths_trigger({"paths": ["src/**", "!src/**.md"]}, ["src/a.md"])
