"""CI failure diagnosis engine (pure: no GitHub calls).

Service entry points::

    from bot.diagnose import diagnose, diagnose_text, load_rules, render_comment

    result = diagnose(path_or_fileobj, name="build (3.11)", rules=load_rules(repo_rules))
    body = render_comment([{"name": ..., "diagnosis": result, "job_url": ...}], head_sha, base_sha)
"""

from .engine import Diagnosis, KeyLine, diagnose, diagnose_text
from .render import MARKER, classify_job, render_all_green, render_comment, render_job_section
from .rules import CATEGORIES, Rule, RuleError, RuleSet, load_rules

__all__ = [
    "CATEGORIES",
    "MARKER",
    "Diagnosis",
    "KeyLine",
    "Rule",
    "RuleError",
    "RuleSet",
    "classify_job",
    "diagnose",
    "diagnose_text",
    "load_rules",
    "render_all_green",
    "render_comment",
    "render_job_section",
]
