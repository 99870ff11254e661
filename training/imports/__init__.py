from training.imports import ethics, rosters  # noqa: F401
