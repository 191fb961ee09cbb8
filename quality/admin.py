"""Quality's admin: the QA scorecards' models (registered by their package)."""

from quality.scorecards import admin as scorecards_admin  # noqa: F401
