"""The physical community: areas → buildings → units → households → residents; grids over units.

Residents are numbered so that each household, unit, building and area is a contiguous block of
ids. The network builder and the vectorized updates rely on that: "everyone in unit u" is the
slice ``unit_start[u] : unit_start[u] + unit_size[u]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from .config import ScenarioConfig, Structure
from .loading import ScenarioError


def _split_evenly(total: int, parts: int) -> np.ndarray:
    """Owner index of each of ``total`` children spread as evenly as possible over ``parts``."""
    sizes = np.full(parts, total // parts, dtype=np.int64)
    sizes[: total % parts] += 1
    return np.repeat(np.arange(parts, dtype=np.int32), sizes)


@dataclass(frozen=True)
class Community:
    n_residents: int
    n_households: int
    n_units: int
    n_buildings: int
    n_areas: int
    n_grids: int
    household: np.ndarray  # per resident
    unit: np.ndarray
    building: np.ndarray
    area: np.ndarray
    grid: np.ndarray
    unit_building: np.ndarray  # per unit
    unit_grid: np.ndarray

    def block(self, owner: np.ndarray, n_blocks: int) -> tuple[np.ndarray, np.ndarray]:
        """Start and size of each contiguous block of residents sharing ``owner``."""
        size = np.bincount(owner, minlength=n_blocks)
        start = np.concatenate(([0], np.cumsum(size)[:-1]))
        return start, size


def build_community(structure: Structure, rng: np.random.Generator) -> Community:
    """Lay out the community and draw household sizes (1 + Poisson)."""
    n_units = structure.units
    unit_building = _split_evenly(n_units, structure.buildings)
    building_area = _split_evenly(structure.buildings, structure.areas)
    unit_grid = (np.arange(n_units) // structure.units_per_grid).astype(np.int32)

    n_households = n_units * structure.households_per_unit
    household_unit = np.repeat(np.arange(n_units, dtype=np.int32), structure.households_per_unit)
    sizes = 1 + rng.poisson(structure.household_size_mean - 1.0, size=n_households)
    household = np.repeat(np.arange(n_households, dtype=np.int32), sizes)
    unit = household_unit[household]
    building = unit_building[unit]
    return Community(
        n_residents=int(household.size),
        n_households=n_households,
        n_units=n_units,
        n_buildings=structure.buildings,
        n_areas=structure.areas,
        n_grids=structure.grids,
        household=household,
        unit=unit,
        building=building,
        area=building_area[building],
        grid=unit_grid[unit],
        unit_building=unit_building,
        unit_grid=unit_grid,
    )


SCALED_ACTOR_FIELDS = ("staff", "budget_per_day", "profit_per_day")


def scale_to_residents(config: ScenarioConfig, residents: int) -> ScenarioConfig:
    """Resize a scenario to about ``residents`` people.

    Units, buildings and areas are multiplied by the same factor, and so are the staff, budgets
    and profits of every organization: a street of 100,000 people has many committees' worth of
    staff, so per-capita capacity — what the governance rules are about — stays as the scenario
    states it.
    """
    if residents <= 0:
        raise ValueError("residents must be > 0")
    s = config.structure
    factor = residents / s.expected_residents
    units = max(1, round(s.units * factor))
    buildings = min(units, max(1, round(s.buildings * factor)))
    areas = min(buildings, max(1, round(s.areas * factor)))
    data = config.model_dump(mode="python")
    data["structure"].update(units=units, buildings=buildings, areas=areas)
    actual = units / s.units  # what the rounding really gave
    actors = data["actors"]
    for key in ("party_branch", "residents_committee", "street_office"):
        for f in SCALED_ACTOR_FIELDS:
            if f in actors[key]:
                actors[key][f] *= actual
    for group in ("social_organizations", "enterprises"):
        for actor in actors[group]:
            for f in SCALED_ACTOR_FIELDS:
                if f in actor:
                    actor[f] *= actual
    try:
        return ScenarioConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(map(str, err["loc"]))
        raise ScenarioError(f"--residents {residents}: the resized community is not valid: "
                            f"{where}: {err['msg']}") from None
