"""Statistical disclosure control for everything the public sees: small cells suppressed, with
secondary suppression so a hidden cell cannot be worked back from the published totals.

Owns the rules (docs/rules.md §3, issue 5):

* **Primary suppression**: a count with 0 < value < threshold (setting ``small_cell_threshold``,
  default 5) is hidden. Totals are cells like any other: a row total of 3 is hidden too.
* **Zeros are published.** A published 0 says "nobody in this group is protected yet", which is
  about a place, not about a person, and is exactly what a planner needs to see (desa not reached
  at all). Zeros are therefore never primary suppressions, and are used as secondary suppressions
  only when no non-zero cell can do the job (a hidden zero gives an intruder little to work with).
* **Secondary suppression**: published totals are linear constraints; a hidden cell must not be
  computable from them. Every table is modelled as a flow network: each cell is an edge, each
  published additive relation ("the row's cells add up to the row total") is conservation of flow
  at a node. A hidden cell is then determined by the published numbers exactly when it is a
  *bridge* of the graph of hidden edges (it lies on no cycle of hidden cells), so the rule
  "a row or column with exactly one hidden cell gets a second one" is the special case of a node
  of degree one. We repeat until no hidden cell is a bridge: for each bridge we hide the cheapest
  path of published cells (cost = value, zeros last) that closes a cycle through it. Totals that
  are not published at all are edges hidden from the start (unknowns, not constraints).

Because all cells of a cycle are non-negative and non-zero (zeros are avoided), each hidden cell
can move in both directions along its cycle: its feasible interval given every published number
is never a single value. tests/test_disclosure.py checks this by linear programming on random
tables.

The public functions take and return pandas objects; ``SUPPRESSED`` marks hidden values in text.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import pandas as pd

from etl import settings
from .layout import fmt_int

SUPPRESSED = "s"          # what a hidden cell shows in tables meant to be read
TOTAL_LABEL = "Jumlah"
_ZERO_COST = 10**12       # hide a zero only when no non-zero path exists


def threshold() -> int:
    return int(settings.get("small_cell_threshold"))


def is_small(value, limit: int) -> bool:
    """Primary rule: a positive count below the threshold."""
    return value is not None and not pd.isna(value) and 0 < value < limit


@dataclass
class Network:
    """Cells as edges between constraint nodes; see the module docstring."""

    edges: list[tuple[object, object]] = field(default_factory=list)   # (u, v) per edge
    values: list[float] = field(default_factory=list)
    published: list[bool] = field(default_factory=list)

    def add(self, u, v, value, published: bool = True) -> int:
        self.edges.append((u, v))
        self.values.append(0 if value is None or pd.isna(value) else value)
        self.published.append(published)
        return len(self.edges) - 1

    def suppress(self, limit: int | None = None, linked: list[list[int]] | None = None
                 ) -> list[bool]:
        """Hidden flag per edge (unpublished edges are hidden by definition).

        `linked` lists groups of edges that must be hidden together (the same cell appearing in
        two tables, or a count and its rupiah amount).
        """
        limit = threshold() if limit is None else limit
        hidden = [(not pub) or is_small(val, limit)
                  for pub, val in zip(self.published, self.values)]
        _spread_links(hidden, linked)
        while True:
            bridge = self._first_bridge(hidden)
            if bridge is None:
                return hidden
            path = self._closing_path(bridge, hidden)
            if not path:
                # The cell is a bridge of the whole graph: conservation forces it to 0, and zeros
                # are public anyway. Accepting it as published keeps the loop finite.
                if self.published[bridge] and self.values[bridge] == 0:
                    hidden[bridge] = False
                    continue
                raise RuntimeError(f"cannot protect cell {bridge} {self.edges[bridge]}")
            for e in path:
                hidden[e] = True
            _spread_links(hidden, linked)

    # -- graph helpers ----------------------------------------------------------------------
    def _first_bridge(self, hidden: list[bool]) -> int | None:
        """A hidden, published edge lying on no cycle of hidden edges (Tarjan, multigraph-safe)."""
        adj: dict[object, list[tuple[object, int]]] = {}
        for i, (u, v) in enumerate(self.edges):
            if hidden[i]:
                adj.setdefault(u, []).append((v, i))
                adj.setdefault(v, []).append((u, i))
        order: dict[object, int] = {}
        low: dict[object, int] = {}
        bridges: list[int] = []
        counter = 0
        for root in adj:
            if root in order:
                continue
            # Iterative DFS: (node, edge used to arrive, iterator over neighbours).
            order[root] = low[root] = counter
            counter += 1
            stack = [(root, -1, iter(adj[root]))]
            while stack:
                node, via, it = stack[-1]
                advanced = False
                for nxt, eid in it:
                    if eid == via:
                        continue
                    if nxt in order:
                        low[node] = min(low[node], order[nxt])
                    else:
                        order[nxt] = low[nxt] = counter
                        counter += 1
                        stack.append((nxt, eid, iter(adj[nxt])))
                        advanced = True
                        break
                if not advanced:
                    stack.pop()
                    if stack:
                        parent = stack[-1][0]
                        low[parent] = min(low[parent], low[node])
                        if low[node] > order[parent]:
                            bridges.append(via)
        published_bridges = [b for b in bridges if self.published[b]]
        if not published_bridges:
            return None
        # Protect the smallest (most sensitive) cell first.
        return min(published_bridges, key=lambda b: (self.values[b], b))

    def _closing_path(self, bridge: int, hidden: list[bool]) -> list[int]:
        """Cheapest set of published, not yet hidden edges that puts `bridge` on a cycle."""
        u, v = self.edges[bridge]
        # Side of u once the bridge is removed: nodes reachable from u through other hidden edges.
        adj_hidden: dict[object, list[object]] = {}
        for i, (a, b) in enumerate(self.edges):
            if hidden[i] and i != bridge:
                adj_hidden.setdefault(a, []).append(b)
                adj_hidden.setdefault(b, []).append(a)
        side_u = _reachable(u, adj_hidden)
        side_v = _reachable(v, adj_hidden)
        adj: dict[object, list[tuple[object, int]]] = {}
        for i, (a, b) in enumerate(self.edges):
            if not hidden[i] and self.published[i]:
                adj.setdefault(a, []).append((b, i))
                adj.setdefault(b, []).append((a, i))
        # Dijkstra from every node of u's side to any node of v's side; hidden edges are free
        # to walk along inside each side (they are already hidden).
        dist = {n: 0.0 for n in side_u}
        prev: dict[object, tuple[object, int] | None] = {n: None for n in side_u}
        heap = [(0.0, i, n) for i, n in enumerate(side_u)]
        heapq.heapify(heap)
        tiebreak = len(heap)
        while heap:
            d, _, node = heapq.heappop(heap)
            if d > dist.get(node, float("inf")):
                continue
            if node in side_v:
                path = []
                while prev[node] is not None:
                    node, eid = prev[node]
                    path.append(eid)
                return path
            for nxt, eid in adj.get(node, []):
                val = self.values[eid]
                cost = _ZERO_COST if val == 0 else abs(val)
                nd = d + cost
                if nd < dist.get(nxt, float("inf")):
                    dist[nxt] = nd
                    prev[nxt] = (node, eid)
                    tiebreak += 1
                    heapq.heappush(heap, (nd, tiebreak, nxt))
        return []


def _reachable(start, adj: dict) -> set:
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        for nxt in adj.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _spread_links(hidden: list[bool], linked: list[list[int]] | None) -> None:
    for group in linked or []:
        if any(hidden[i] for i in group):
            for i in group:
                hidden[i] = True


# -- tables ---------------------------------------------------------------------------------

@dataclass
class Protected:
    """A table with its margins and the mask of hidden cells (same shape)."""

    values: pd.DataFrame
    hidden: pd.DataFrame

    def display(self) -> pd.DataFrame:
        """Text table for reading: thousands with dots, hidden cells as SUPPRESSED."""
        out = self.values.map(_fmt).astype(object)
        return out.mask(self.hidden, SUPPRESSED)

    def published(self) -> pd.DataFrame:
        """Numbers with hidden cells blank (nullable integers), for downloads and charts."""
        out = self.values.astype("Int64")
        return out.mask(self.hidden)


def _fmt(value) -> str:
    return fmt_int(value, missing="")


def with_margins(table: pd.DataFrame, total_label: str = TOTAL_LABEL) -> pd.DataFrame:
    """The table with a total column and a total row (the layout protect_2d publishes)."""
    out = table.copy()
    out[total_label] = table.sum(axis=1)
    total_row = pd.DataFrame([list(table.sum(axis=0)) + [table.values.sum()]],
                             columns=list(out.columns), index=[total_label])
    return pd.concat([out, total_row])


def protect_2d(table: pd.DataFrame, limit: int | None = None, total_label: str = TOTAL_LABEL,
               margins: bool = True) -> Protected:
    """A rows x columns table of counts, published with its row, column and grand totals.

    Returns the table with a total row and column added (when `margins`) and the hidden mask.
    """
    counts = table.fillna(0).astype("int64")
    rows, cols = list(counts.index), list(counts.columns)
    net = Network()
    cell: dict[tuple[object, object], int] = {}
    for r in rows:
        for c in cols:
            cell[(r, c)] = net.add(("r", r), ("c", c), int(counts.at[r, c]))
    row_tot = {r: net.add(("P",), ("r", r), int(counts.loc[r].sum()), margins) for r in rows}
    col_tot = {c: net.add(("c", c), ("Q",), int(counts[c].sum()), margins) for c in cols}
    grand = net.add(("Q",), ("P",), int(counts.values.sum()), margins)
    hidden = net.suppress(limit)

    values = counts.copy()
    mask = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    for (r, c), e in cell.items():
        mask.at[r, c] = hidden[e]
    if margins:
        values = with_margins(counts, total_label)
        mask[total_label] = [hidden[row_tot[r]] for r in rows]
        mask_row = pd.DataFrame([[hidden[col_tot[c]] for c in cols] + [hidden[grand]]],
                                columns=list(mask.columns), index=[total_label])
        mask = pd.concat([mask, mask_row]).astype(bool)
    return Protected(values, mask)


def protect_series(series: pd.Series, limit: int | None = None, total: bool = True,
                   total_label: str = TOTAL_LABEL) -> Protected:
    """A one-way table of counts, with its total published (or not, when `total` is False).

    Returns one column ``jumlah`` with the total as the last row (when published).
    """
    counts = series.fillna(0).astype("int64")
    net = Network()
    edges = [net.add("P", "Q", int(v)) for v in counts]
    tot = net.add("Q", "P", int(counts.sum()), total)
    hidden = net.suppress(limit)
    frame = pd.DataFrame({"jumlah": counts})
    mask = pd.DataFrame({"jumlah": [hidden[e] for e in edges]}, index=counts.index)
    if total:
        frame = pd.concat([frame, pd.DataFrame({"jumlah": [int(counts.sum())]},
                                               index=[total_label])])
        mask = pd.concat([mask, pd.DataFrame({"jumlah": [hidden[tot]]}, index=[total_label])])
    return Protected(frame, mask.astype(bool))


def protect_hierarchy(children: pd.DataFrame, parent_col: str, child_col: str, value_col: str,
                      limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two published levels that add up: children (desa) within parents (kecamatan), parents
    within the grand total. The parent totals and the grand total are published too.

    Returns (children with a boolean column ``hidden``, parents with ``hidden``, plus the grand
    total as a parent row whose parent_col is TOTAL_LABEL).
    """
    frame = children[[parent_col, child_col, value_col]].copy()
    frame[value_col] = frame[value_col].fillna(0).astype("int64")
    parents = frame.groupby(parent_col, sort=True)[value_col].sum()
    net = Network()
    child_edges = [net.add(("k", p), ("root",), int(v))
                   for p, v in zip(frame[parent_col], frame[value_col])]
    parent_edges = {p: net.add(("K",), ("k", p), int(v)) for p, v in parents.items()}
    grand = net.add(("root",), ("K",), int(parents.sum()))
    hidden = net.suppress(limit)
    frame["hidden"] = [hidden[e] for e in child_edges]
    parent_frame = pd.DataFrame({parent_col: list(parents.index) + [TOTAL_LABEL],
                                 value_col: list(parents.values) + [int(parents.sum())],
                                 "hidden": [hidden[parent_edges[p]] for p in parents.index]
                                 + [hidden[grand]]})
    return frame, parent_frame
