"""stdkit: standards-as-code for China's dual-carbon territorial spatial planning standards.

Pipeline: read (:mod:`toolkit.load`) → validate (:mod:`toolkit.model`) → resolve
(:mod:`toolkit.corpus`) → check (:mod:`toolkit.checks`) → render (:mod:`toolkit.render`).
"""
__version__ = "0.1.0"
