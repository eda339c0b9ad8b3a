"""The data-quality report: a static site of the warehouse's quality marts (see chiso.report.build)."""

from chiso.report.build import BuiltReport, build_report, default_out

__all__ = ["BuiltReport", "build_report", "default_out"]
