"""Scoring a chunk's workers against its postings block by block (scoring.py) and keeping the best pairs:
each worker's best `WORKER_TOP` postings, each posting's best `POSTING_TOP` workers, ranked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from jobs.matching import scoring
from jobs.matching.loading import Reference
from jobs.matching.scoring import PER_MILLE, Postings, Workers
from jobs.matching.weights import COMPONENTS

WORKER_TOP = 20
POSTING_TOP = 50
# Rows of one block scored at once, so a large category never needs more than ~this many cells in memory.
BLOCK_CELLS = 4_000_000


@dataclass
class Kept:
    """Pairs a chunk keeps, as parallel arrays."""

    worker: list[np.ndarray]
    posting: list[np.ndarray]
    score: list[np.ndarray]
    held: list[np.ndarray]
    fits: dict[str, list[np.ndarray]]

    @classmethod
    def empty(cls) -> Kept:
        return cls([], [], [], [], {name: [] for name in COMPONENTS})

    def add(self, block: scoring.Block, rows: np.ndarray, cols: np.ndarray, w_rows, p_cols) -> None:
        self.worker.append(w_rows[rows])
        self.posting.append(p_cols[cols])
        self.score.append(block.score[rows, cols])
        self.held.append(block.held[rows, cols])
        for name in COMPONENTS:
            self.fits[name].append(np.asarray(block.fits[name])[rows, cols])

    def arrays(self) -> dict[str, np.ndarray]:
        cat = lambda parts, dtype: np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)  # noqa: E731
        out = {
            "worker": cat(self.worker, np.int64),
            "posting": cat(self.posting, np.int64),
            "score": cat(self.score, np.float32),
            "held": cat(self.held, np.int16),
        }
        for name in COMPONENTS:
            out[name] = np.rint(cat(self.fits[name], np.float32) * PER_MILLE).astype(np.int16)
        return out


def _blocks(workers: Workers, postings: Postings, ref: Reference, applied: set[tuple[int, int]], weights):
    """Yield (block, worker rows, posting columns) per category, in row slices of at most BLOCK_CELLS."""
    worker_categories = scoring.occupation_categories(ref.category_of_occupation, workers.interest)
    applied_by_category = defaultdict(list)
    for row, col in applied:
        applied_by_category[int(postings.category[col])].append((row, col))
    for category in np.unique(postings.category):
        p_cols = np.flatnonzero(postings.category == category)
        w_rows = (
            np.flatnonzero(worker_categories[:, category]) if worker_categories.shape[1] > category else []
        )
        if len(p_cols) == 0 or len(w_rows) == 0:
            continue
        block_postings = postings.take(p_cols)
        step = max(1, BLOCK_CELLS // len(p_cols))
        col_of = {int(c): j for j, c in enumerate(p_cols)}
        for start in range(0, len(w_rows), step):
            rows = w_rows[start : start + step]
            mask = None
            pairs = applied_by_category.get(int(category))
            if pairs:
                row_of = {int(r): i for i, r in enumerate(rows)}
                mask = np.zeros((len(rows), len(p_cols)), bool)
                for r, c in pairs:
                    if r in row_of:
                        mask[row_of[r], col_of[c]] = True
            block = scoring.score_block(
                workers.take(rows), block_postings, weights,
                category_of_occupation=ref.category_of_occupation, applied=mask,
            )  # fmt: skip
            yield block, rows, p_cols


def best_postings_per_worker(workers, postings, ref, applied, weights) -> tuple[dict[str, np.ndarray], int]:
    """Every worker's best WORKER_TOP postings (ranked 1..), and the number of pairs scored."""
    kept, pairs = Kept.empty(), 0
    for block, rows, cols in _blocks(workers, postings, ref, applied, weights):
        pairs += block.score.size
        keys = scoring.ranked_keys(block.score, block.allowed, np.arange(len(cols)), axis=1)
        r, c = scoring.top_per_row(keys, WORKER_TOP)
        kept.add(block, r, c, rows, cols)
    rows = kept.arrays()
    # A worker interested in several categories has candidates from each: rank them together.
    return _rank_and_keep(rows, "worker", postings.ids[rows["posting"]], WORKER_TOP), pairs


def best_workers_per_posting(workers, postings, ref, applied, weights) -> tuple[dict[str, np.ndarray], int]:
    """Every posting's best POSTING_TOP workers (ranked 1..)."""
    kept, pairs = Kept.empty(), 0
    for block, rows, cols in _blocks(workers, postings, ref, applied, weights):
        pairs += block.score.size
        keys = scoring.ranked_keys(block.score, block.allowed, rows, axis=0)
        c, r = scoring.top_per_row(keys.T, POSTING_TOP)
        kept.add(block, r, c, rows, cols)
    rows = kept.arrays()
    # Row slices of one category each offered their best: rank them together per posting.
    return _rank_and_keep(rows, "posting", workers.ids[rows["worker"]], POSTING_TOP), pairs


def _rank_and_keep(rows: dict[str, np.ndarray], side: str, tie_ids: np.ndarray, top: int) -> dict:
    """Rank the kept pairs within each worker or posting (`side`) by score, then the lower id of the other
    side (`tie_ids`, one per pair), and keep the best `top`; the rank goes in `<side>_rank`, 0 in the
    other side's."""
    order = np.lexsort((tie_ids, -scoring.score_int(rows["score"]), rows[side]))
    rows = {name: values[order] for name, values in rows.items()}
    rank = _rank_within(rows[side])
    keep = rank <= top
    rows = {name: values[keep] for name, values in rows.items()}
    other = "posting" if side == "worker" else "worker"
    rows[f"{side}_rank"] = rank[keep].astype(np.int16)
    rows[f"{other}_rank"] = np.zeros(int(keep.sum()), np.int16)
    return rows


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """1-based position of each element within its run of equal consecutive values."""
    if len(groups) == 0:
        return np.empty(0, np.int64)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    run_lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, run_lengths) + 1
