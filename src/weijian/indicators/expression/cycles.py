"""Cycle detection between indicators that use each other through `N{…}`."""

from collections.abc import Iterable, Mapping

from .errors import CycleError
from .expr import Expression

_VISITING, _DONE = 1, 2


def check_no_cycles(definitions: Mapping[str, Iterable[Expression | None]]) -> None:
    """Raise CycleError ("指标引用形成循环：A → B → A") if any indicator reaches itself.

    `definitions` maps an indicator code to its expressions (numerator, denominator, …;
    None entries are skipped). References to codes not in `definitions` are ignored here:
    an unknown indicator is a different error, reported by whoever resolves the codes.
    Codes are visited in sorted order, so the cycle reported is the same on every run.
    """
    graph = {
        code: sorted({ref.code for e in exprs if e is not None for ref in e.indicator_refs()})
        for code, exprs in definitions.items()
    }
    state: dict[str, int] = {}
    for start in sorted(graph):
        if start not in state:
            _visit(graph, start, state)


def _visit(graph: dict[str, list[str]], start: str, state: dict[str, int]) -> None:
    # Iterative depth-first search: a long chain of N{…} cannot hit Python's recursion limit.
    path = [start]
    pending = [iter(graph[start])]
    state[start] = _VISITING
    while pending:
        target = next(pending[-1], None)
        if target is None:
            state[path.pop()] = _DONE
            pending.pop()
        elif target not in graph or state.get(target) == _DONE:
            continue
        elif state.get(target) == _VISITING:
            raise CycleError((*path[path.index(target) :], target))
        else:
            state[target] = _VISITING
            path.append(target)
            pending.append(iter(graph[target]))
