"""Indicators: definitions, the expression language and the analytics engine."""
