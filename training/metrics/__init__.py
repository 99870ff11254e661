"""Training's metrics (laborbrand/metrics.py): the training events counted in a period (`events`) and the
rates over a brand's members (`members`)."""

from training.metrics import events, members  # noqa: F401  (each registers its metrics)
