"""The functions the language knows. Names are matched case-insensitively."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str  # canonical spelling, used by to_text()
    min_args: int
    max_args: int | None  # None: any number from min_args up


FUNCTIONS: dict[str, FunctionSpec] = {
    spec.name.lower(): spec
    for spec in (
        FunctionSpec("if", 3, 3),
        FunctionSpec("isNull", 1, 1),
        FunctionSpec("isNotNull", 1, 1),
        FunctionSpec("greatest", 1, None),
        FunctionSpec("least", 1, None),
        FunctionSpec("firstNonNull", 1, None),
    )
}

FUNCTION_LIST = "、".join(spec.name for spec in FUNCTIONS.values())
