"""The training app's imports from Excel (laborbrand/imports/engine.py): each module registers its `Importer`
when it is imported, so importing this package makes them all available."""

from training.imports import certificates, ethics, rosters  # noqa: F401
