"""Every write of the assessment app, by what it does: `schemes` (schemes, versions, trees,
vetoes, peer groups, offices), `runs` (the workflow, scores, vetoes, appeals, locking), `money`
(pools, 预拨/结算, 二次分配). Each raises `AssessmentError` with a Chinese message and changes
nothing when it refuses."""

from .common import AssessmentError

__all__ = ["AssessmentError"]
