"""The issue table: every dispute, hazard, care need and micro-project as a row of arrays.

Issues are many and short-lived, so they are not Python objects: each attribute is a column of a
preallocated array that doubles when full. Phases select rows with boolean masks over the open
issues and update them in bulk.

Life cycle (MECHANISMS R3, R18): an issue is born latent, becomes a visible sign and then an open
conflict unless it is detected first; once detected it is routed to a handler, handled, and either
resolved or pushed up the escalation ladder. An issue that reaches a petition leaves the community's
hands (``CLOSED_ESCALATED``), so every issue ever created is open, resolved or closed by escalation.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stage(IntEnum):
    LATENT = 0  # 诱因
    SIGN = 1  # 苗头
    OPEN = 2  # 事态 (seed 003 L5)


class Status(IntEnum):
    OPEN = 0
    RESOLVED = 1
    CLOSED_ESCALATED = 2


class Level(IntEnum):
    """Rungs of the escalation ladder (R18; seed 000 L383; seed 004 L225)."""

    GRID = 0  # household / building / grid: 邻里纠纷不出组
    COMMUNITY = 1  # 小事不出村
    STREET = 2  # 大事不出镇
    PETITION = 3  # 信访
    MASS_INCIDENT = 4  # 群体性事件


class Channel(IntEnum):
    NONE = -1
    SELF_REPORT = 0
    COMPLAINT = 1  # the resident pushes an undetected open issue up
    GRID_PATROL = 2
    LIAISON = 3
    VOLUNTEER = 4  # neighbourhood watch, mediators' household visits
    ONLINE = 5  # the resident reports through an online platform
    CAMPAIGN = 6  # a campaign sweep


PROACTIVE_CHANNELS = (Channel.GRID_PATROL, Channel.LIAISON, Channel.VOLUNTEER, Channel.CAMPAIGN)
# Whether a channel is proactive, by channel + 1 (so that Channel.NONE, -1, is row 0): a lookup
# is cheaper than np.isin on the few issues found each day.
PROACTIVE_BY_CHANNEL = np.isin(np.arange(-1, max(Channel) + 1), PROACTIVE_CHANNELS)

_COLUMNS: dict[str, tuple[type, int | float]] = {
    "category": (np.int8, -1),
    "origin": (np.int64, -1),
    "unit": (np.int32, -1),
    "building": (np.int32, -1),
    "grid": (np.int32, -1),
    "created": (np.int32, -1),
    "stage": (np.int8, Stage.LATENT),
    "detected": (np.int32, -1),
    "channel": (np.int8, Channel.NONE),
    "found_stage": (np.int8, -1),
    "handler": (np.int16, -1),
    "ready": (np.int32, 0),
    "effort_left": (np.float64, 0.0),
    "cost": (np.float64, 0.0),
    "complex": (np.bool_, False),
    "needs_power": (np.bool_, False),
    "joint": (np.bool_, False),
    "level": (np.int8, Level.GRID),
    "status": (np.int8, Status.OPEN),
    "closed": (np.int32, -1),
    "attempts": (np.int16, 0),
    "last_push": (np.int32, 0),
    "complaints": (np.int16, 0),  # times the affected resident pushed this issue up
    "recurrence_of": (np.int64, -1),
    "bounces": (np.int16, 0),  # times the issue was sent back down to the community (推诿)
}


class IssueTable:
    """Columnar store of issues; ``len(table)`` rows are in use."""

    def __init__(self, capacity: int = 1024):
        self._n = 0
        self._cap = max(16, capacity)
        for name, (dtype, fill) in _COLUMNS.items():
            setattr(self, name, np.full(self._cap, fill, dtype=dtype))
        self._open = np.empty(0, dtype=np.int64)
        self._open_stale = False

    def __len__(self) -> int:
        return self._n

    def _grow(self, need: int) -> None:
        cap = self._cap
        while cap < need:
            cap *= 2
        for name, (dtype, fill) in _COLUMNS.items():
            old = getattr(self, name)
            new = np.full(cap, fill, dtype=dtype)
            new[: self._n] = old[: self._n]
            setattr(self, name, new)
        self._cap = cap

    def add(self, **columns: np.ndarray | int | float) -> np.ndarray:
        """Append rows; returns their ids. The first column given is an array (its length is
        the number of rows); a later one may be a single value for every new row, which saves
        building a constant array. Columns not given keep their defaults."""
        k = len(next(iter(columns.values())))
        if k == 0:
            return np.empty(0, dtype=np.int64)
        start = self._n
        if start + k > self._cap:
            self._grow(start + k)
        ids = np.arange(start, start + k)
        rows = slice(start, start + k)  # the new rows are contiguous: no index array needed
        for name, values in columns.items():
            getattr(self, name)[rows] = values
        self._n += k
        self._open = np.concatenate([self.open_ids(), ids])
        return ids

    def open_ids(self) -> np.ndarray:
        """Ids of issues still open (cached; refreshed after any closure)."""
        if self._open_stale:
            self._open = self._open[self.status[self._open] == Status.OPEN]
            self._open_stale = False
        return self._open

    def close(self, ids: np.ndarray, status: Status, day: int) -> None:
        self.status[ids] = status
        self.closed[ids] = day
        self._open_stale = True

    def column(self, name: str) -> np.ndarray:
        """The used part of a column."""
        return getattr(self, name)[: self._n]

    def counts(self) -> dict[str, int]:
        status = self.column("status")
        return {
            "created": self._n,
            "open": int((status == Status.OPEN).sum()),
            "resolved": int((status == Status.RESOLVED).sum()),
            "closed_escalated": int((status == Status.CLOSED_ESCALATED).sum()),
        }
