"""Owner-scoped repositories (being split into one module per repository)."""

from core.storage.repos.cases import *  # noqa: F403
from core.storage.repos.cases import (  # noqa: F401
    DuplicateRef,
    case_from_row,
    dump,
    event_from_row,
    user_from_row,
)
