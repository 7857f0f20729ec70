"""The layered social network, built with NumPy and kept as a sparse matrix.

Layers (MECHANISMS §3) [design choice]: household ties (strong), neighbour ties inside a unit,
ties across units of one building, association memberships (18 associations in Jiangxinyuan,
seed 000 L695) and a few long-range ties. For robustness checks, ``network.topology`` replaces
the neighbour, building and long-range layers by a lattice, a small world or a scale-free graph
of the same mean degree; households and associations stay. Edges are drawn in bulk from the
contiguous id blocks of :mod:`cogov.model.structure`, so building a million-resident community
stays within seconds.

The step only needs the row-normalised adjacency (mean over one's ties); a networkx graph with
integer node ids is produced on demand by :meth:`SocialNetwork.to_networkx` for visualisation and
analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import scipy.sparse as sp

from .config import NetworkParams
from .structure import Community


class Layer(IntEnum):
    HOUSEHOLD = 0
    NEIGHBOUR = 1
    BUILDING = 2
    ASSOCIATION = 3
    LONG_RANGE = 4


LAYER_WEIGHT = np.array([1.0, 0.6, 0.4, 0.5, 0.2])


@dataclass
class SocialNetwork:
    n: int
    src: np.ndarray  # undirected edges, src < dst
    dst: np.ndarray
    layer: np.ndarray
    association: np.ndarray  # per resident, -1 when in none
    adjacency: sp.csr_matrix  # symmetric, weighted
    mean_operator: sp.csr_matrix  # rows sum to 1 (isolates: 0)

    @property
    def n_edges(self) -> int:
        return int(self.src.size)

    def degree(self) -> np.ndarray:
        return np.diff(self.adjacency.indptr)

    def neighbour_mean(self, values: np.ndarray) -> np.ndarray:
        """Weighted mean of ``values`` over each resident's ties."""
        return self.mean_operator @ values

    def to_networkx(self):
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(self.n))
        g.add_edges_from(
            (int(a), int(b), {"layer": Layer(int(layer)).name.lower()})
            for a, b, layer in zip(self.src, self.dst, self.layer, strict=True)
        )
        return g


def _block_partners(members: np.ndarray, block_of: np.ndarray, k: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``k`` random partners for each member among the members of its own block.

    ``members`` must be sorted so that each block is contiguous.
    """
    if k == 0 or members.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    n_blocks = int(block_of.max()) + 1
    size = np.bincount(block_of, minlength=n_blocks)
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    own = np.repeat(np.arange(members.size), k)
    b = block_of[own]
    pos = start[b] + (rng.random(own.size) * size[b]).astype(np.int64)
    return members[own], members[pos]


def _alternative_ties(n: int, params: NetworkParams, per: float, rng: np.random.Generator):
    """Ties of the robustness topologies, about ``per`` initiated per resident (mean degree
    ``2·per``, as in the layered network). Ids run unit by unit, so id distance is distance
    between homes: the lattice ties each resident to the next ``per`` homes."""
    h = max(1, int(round(per)))
    if n < 2:
        return
    if params.topology == "scale_free":
        # Chung–Lu: endpoints drawn in proportion to weights w_i ∝ i^(-1/(γ-1)), which gives
        # expected degrees proportional to w and a power-law tail with exponent γ.
        w = np.arange(1, n + 1, dtype=float) ** (-1.0 / (params.degree_exponent - 1.0))
        w = rng.permutation(w / w.sum())
        m = n * h
        yield (rng.choice(n, size=m, p=w), rng.choice(n, size=m, p=w), Layer.NEIGHBOUR)
        return
    ids = np.arange(n, dtype=np.int64)
    src = np.repeat(ids, h)
    dst = (src + np.tile(np.arange(1, h + 1), n)) % n
    if params.topology == "small_world":
        moved = rng.random(src.size) < params.rewiring
        yield src[~moved], dst[~moved], Layer.NEIGHBOUR
        yield src[moved], rng.integers(0, n, int(moved.sum())), Layer.LONG_RANGE
    else:
        yield src, dst, Layer.NEIGHBOUR


def build_network(community: Community, params: NetworkParams, rng: np.random.Generator,
                  joiner_weight: np.ndarray) -> SocialNetwork:
    """Draw every layer and merge them into one undirected weighted graph.

    ``joiner_weight`` is each resident's relative propensity to join an association (activists
    and party members join more, seed 002 L123).
    """
    n = community.n_residents
    ids = np.arange(n, dtype=np.int64)
    parts_src, parts_dst, parts_layer = [], [], []

    def add(a: np.ndarray, b: np.ndarray, layer: Layer) -> None:
        parts_src.append(a)
        parts_dst.append(b)
        parts_layer.append(np.full(a.size, layer, dtype=np.int8))

    # Households are contiguous: pair each resident with the next ones of the same household.
    hh = community.household
    max_size = int(np.bincount(hh).max()) if n else 0
    for d in range(1, max_size):
        same = hh[:-d] == hh[d:]
        add(ids[:-d][same], ids[d:][same], Layer.HOUSEHOLD)

    if params.topology == "layered":
        add(*_block_partners(ids, community.unit, params.neighbour_ties, rng), Layer.NEIGHBOUR)
        add(*_block_partners(ids, community.building, params.building_ties, rng),
            Layer.BUILDING)
    else:
        per = params.neighbour_ties + params.building_ties + params.long_range_ties
        for a, b, layer in _alternative_ties(n, params, per, rng):
            add(a, b, layer)

    association = np.full(n, -1, dtype=np.int32)
    if params.associations and params.association_share > 0:
        p = params.association_share * joiner_weight / max(joiner_weight.mean(), 1e-12)
        joins = rng.random(n) < np.clip(p, 0.0, 1.0)
        association[joins] = rng.integers(0, params.associations, size=int(joins.sum()))
        members = ids[joins]
        order = np.argsort(association[joins], kind="stable")
        members = members[order]
        add(*_block_partners(members, association[members], params.association_ties, rng),
            Layer.ASSOCIATION)

    m = int(round(n * params.long_range_ties)) if params.topology == "layered" else 0
    if m and n > 1:
        add(rng.integers(0, n, m), rng.integers(0, n, m), Layer.LONG_RANGE)

    src = np.concatenate(parts_src) if parts_src else np.empty(0, np.int64)
    dst = np.concatenate(parts_dst) if parts_dst else np.empty(0, np.int64)
    layer = np.concatenate(parts_layer) if parts_layer else np.empty(0, np.int8)
    keep = src != dst
    lo, hi, layer = np.minimum(src, dst)[keep], np.maximum(src, dst)[keep], layer[keep]
    # One edge per pair, keeping its strongest layer (the highest weight).
    key = lo * n + hi
    order = np.lexsort((-LAYER_WEIGHT[layer], key))
    key, layer = key[order], layer[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, layer = key[first], layer[first]
    lo, hi = key // n, key % n

    w = LAYER_WEIGHT[layer]
    adjacency = sp.csr_matrix(
        (np.concatenate([w, w]), (np.concatenate([lo, hi]), np.concatenate([hi, lo]))),
        shape=(n, n),
    )
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    inv = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
    mean_operator = sp.diags(inv) @ adjacency
    return SocialNetwork(n, lo, hi, layer, association, adjacency.tocsr(),
                         sp.csr_matrix(mean_operator))
