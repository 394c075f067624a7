"""The national indicator library: YAML data files, one per source document, and their reader.

    from weijian.indicators.library import read_library
    library = read_library()                       # every shipped *.yaml, checked
    library.indicator("HAI_INCIDENCE").factor      # 100
    element_codes_used(library)                    # {"HAI_NEW_CASES", "HAI_INPATIENTS", …}

The files and their keys are described in `files.py` (reading in `reader.py`, the dataclasses in `specs.py`). This package is Django-free (layer 1);
`weijian library load` turns the result into database rows.
"""

from .files import (
    element_codes_used,
    element_refs_used,
    library_files,
    read_library,
)
from .specs import (
    COMPARATORS,
    DIRECTIONS,
    IMPORTANCES,
    LIBRARY_DIR,
    MISSING_VALUE_STRATEGIES,
    OPERATORS,
    TYPE_FACTORS,
    TYPE_LABELS,
    VERIFICATIONS,
    IndicatorSpec,
    Library,
    LibraryError,
    Source,
    Target,
    ValidationRuleSpec,
)

__all__ = [
    "COMPARATORS",
    "DIRECTIONS",
    "IMPORTANCES",
    "LIBRARY_DIR",
    "MISSING_VALUE_STRATEGIES",
    "OPERATORS",
    "TYPE_FACTORS",
    "TYPE_LABELS",
    "VERIFICATIONS",
    "IndicatorSpec",
    "Library",
    "LibraryError",
    "Source",
    "Target",
    "ValidationRuleSpec",
    "element_codes_used",
    "element_refs_used",
    "library_files",
    "read_library",
]
