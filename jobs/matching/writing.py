"""Writing a chunk's kept pairs as `Recommendation` rows: binary COPY on PostgreSQL, bulk_create elsewhere."""

from __future__ import annotations

import io
import struct

import numpy as np
from django.db import connection

from jobs.matching.models import Recommendation
from jobs.matching.weights import COMPONENTS

_COPY_COLUMNS = (
    "run_id",
    "chunk",
    "worker_id",
    "posting_id",
    "score",
    "worker_rank",
    "posting_rank",
    "held_level",
    *COMPONENTS,
)


def write_recommendations(
    run_id: int, chunk: int, rows: dict[str, np.ndarray], worker_ids, posting_ids
) -> int:
    """Insert a chunk's rows: binary COPY on PostgreSQL, bulk_create elsewhere."""
    n = len(rows["score"])
    if n == 0:
        return 0
    columns = {
        "run_id": np.full(n, run_id, np.int64),
        "chunk": np.full(n, chunk, np.int32),
        "worker_id": worker_ids[rows["worker"]],
        "posting_id": posting_ids[rows["posting"]],
        "score": np.round(rows["score"].astype(np.float64), 2),
        "worker_rank": rows["worker_rank"],
        "posting_rank": rows["posting_rank"],
        "held_level": rows["held"],
        **{name: rows[name] for name in COMPONENTS},
    }
    if connection.vendor == "postgresql":
        _copy_binary(columns, n)
    else:
        Recommendation.objects.bulk_create(
            (
                Recommendation(**{name: values[i].item() for name, values in columns.items()})
                for i in range(n)
            ),
            batch_size=2000,
        )
    return n


_PG_TYPES = {np.int64: ">i8", np.int32: ">i4", np.int16: ">i2", np.float64: ">f8"}


def _copy_binary(columns: dict[str, np.ndarray], n: int) -> None:
    """PostgreSQL's binary COPY format built as one numpy record array: per row, the field count, then per
    field its length and big-endian value (https://www.postgresql.org/docs/current/sql-copy.html)."""
    table = Recommendation._meta.db_table
    with connection.cursor() as cursor:
        # The ids drawn from the sequence in one statement and sent with the rows: the column's default,
        # evaluated for each copied row, costs about a quarter of the COPY.
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, n])
        columns = {"id": np.array(cursor.fetchone()[0], np.int64), **columns}
        names = ("id", *_COPY_COLUMNS)
        fields = [("count", ">i2")]
        for name in names:
            fields += [(f"{name}_len", ">i4"), (name, _PG_TYPES[columns[name].dtype.type])]
        dtype = np.dtype(fields)
        # The field count and lengths are the same in every row: one row of them, repeated, then the values.
        template = np.zeros(1, dtype)
        template["count"] = len(names)
        for name in names:
            template[f"{name}_len"] = dtype[name].itemsize
        records = np.tile(template.view(np.uint8), n).view(dtype)
        for name in names:
            records[name] = columns[name]
        payload = io.BytesIO()
        payload.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
        payload.write(records.data)
        payload.write(struct.pack(">h", -1))
        payload.seek(0)
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT binary)", payload, size=1 << 20
        )
