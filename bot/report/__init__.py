"""Report engine: CI run records, statistics, anomaly detection, SLOs, Markdown rendering.

Pure over plain inputs (no GitHub calls); the service wires collection and scheduling.
"""

from bot.report.anomaly import Anomaly, AnomalyConfig
from bot.report.api import build_report_from_store
from bot.report.model import OpenPR, Report, ReportConfig, report_to_dict
from bot.report.records import (
    JobRecord,
    ParseError,
    RunRecord,
    job_from_api,
    jobs_from_api,
    run_from_api,
    runs_from_api,
)
from bot.report.render import MARKER, render_markdown
from bot.report.stats import analyze
from bot.report.store import Diagnosis, ReportStore, Retry

__all__ = [
    "MARKER",
    "Anomaly",
    "AnomalyConfig",
    "Diagnosis",
    "JobRecord",
    "OpenPR",
    "ParseError",
    "Report",
    "ReportConfig",
    "ReportStore",
    "Retry",
    "RunRecord",
    "analyze",
    "build_report_from_store",
    "job_from_api",
    "jobs_from_api",
    "render_markdown",
    "report_to_dict",
    "run_from_api",
    "runs_from_api",
]
