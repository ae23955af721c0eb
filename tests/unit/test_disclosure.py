"""Statistical disclosure control: no small cell published, no hidden cell recoverable.

The property tests build random small tables (many small cells), protect them, and then play the
intruder: with every published number fixed and every cell non-negative, linear programming gives
the smallest and largest value each hidden cell can take. A hidden cell whose interval is a single
value would be disclosed; none may be.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from dashboard import disclosure
from dashboard.disclosure import Network

linprog = pytest.importorskip("scipy.optimize").linprog

LIMIT = 5
small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


def intervals(net: Network, hidden: list[bool]) -> dict[int, tuple[float, float]]:
    """Feasible (min, max) of every hidden, published edge given the published values."""
    unknown = [i for i, h in enumerate(hidden) if h]
    nodes = sorted({n for e in net.edges for n in e}, key=repr)
    row_of = {n: k for k, n in enumerate(nodes)}
    a = np.zeros((len(nodes), len(unknown)))
    b = np.zeros(len(nodes))
    col_of = {e: k for k, e in enumerate(unknown)}
    for i, (u, v) in enumerate(net.edges):
        # conservation: inflow - outflow = 0 at every node
        if hidden[i]:
            a[row_of[u], col_of[i]] -= 1
            a[row_of[v], col_of[i]] += 1
        else:
            b[row_of[u]] += net.values[i]
            b[row_of[v]] -= net.values[i]
    out = {}
    for i in unknown:
        if not net.published[i]:
            continue
        c = np.zeros(len(unknown))
        c[col_of[i]] = 1
        lo = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        assert lo.status == 0, "the published table must be consistent"
        upper = float("inf") if hi.status == 3 else -hi.fun
        out[i] = (lo.fun, upper)
    return out


def assert_safe(net: Network, hidden: list[bool]) -> None:
    for i, (pub, val) in enumerate(zip(net.published, net.values)):
        if pub and not hidden[i]:
            assert val == 0 or val >= LIMIT, f"published small cell {val}"
    for i, (lo, hi) in intervals(net, hidden).items():
        assert hi - lo > 1e-6, f"hidden cell {i} (value {net.values[i]}) is derivable: {lo}..{hi}"
        assert lo - 1e-6 <= net.values[i] <= hi + 1e-6


def table_network(table: np.ndarray, margins: bool = True) -> Network:
    net = Network()
    r, c = table.shape
    for i in range(r):
        for j in range(c):
            net.add(("r", i), ("c", j), int(table[i, j]))
    for i in range(r):
        net.add(("P",), ("r", i), int(table[i].sum()), margins)
    for j in range(c):
        net.add(("c", j), ("Q",), int(table[:, j].sum()), margins)
    net.add(("Q",), ("P",), int(table.sum()), margins)
    return net


@hsettings(max_examples=150, deadline=None)
@given(st.integers(1, 5).flatmap(
    lambda r: st.integers(1, 5).flatmap(
        lambda c: st.lists(small_counts, min_size=r * c, max_size=r * c).map(
            lambda xs: np.array(xs).reshape(r, c)))))
def test_two_way_tables_with_margins_leak_nothing(table):
    net = table_network(table)
    hidden = net.suppress(LIMIT)
    assert_safe(net, hidden)


@hsettings(max_examples=150, deadline=None)
@given(st.lists(small_counts, min_size=1, max_size=12), st.booleans())
def test_one_way_tables_with_or_without_total_leak_nothing(values, total):
    net = Network()
    for v in values:
        net.add("P", "Q", v)
    net.add("Q", "P", sum(values), total)
    hidden = net.suppress(LIMIT)
    assert_safe(net, hidden)


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.lists(small_counts, min_size=1, max_size=5), min_size=1, max_size=5))
def test_desa_within_kecamatan_within_kabupaten_leak_nothing(groups):
    rows = [(f"K{k}", f"D{k}.{d}", v) for k, desas in enumerate(groups)
            for d, v in enumerate(desas)]
    frame = pd.DataFrame(rows, columns=["kec", "desa", "n"])
    children, parents = disclosure.protect_hierarchy(frame, "kec", "desa", "n", limit=LIMIT)
    # Rebuild the same network to play the intruder against exactly what was published.
    net = Network()
    hidden = []
    for kec, n, h in zip(children["kec"], children["n"], children["hidden"]):
        net.add(("k", kec), ("root",), n)
        hidden.append(bool(h))
    for kec, n, h in zip(parents["kec"], parents["n"], parents["hidden"]):
        if kec == disclosure.TOTAL_LABEL:
            net.add(("root",), ("K",), n)
        else:
            net.add(("K",), ("k", kec), n)
        hidden.append(bool(h))
    assert_safe(net, hidden)


def test_row_with_one_small_cell_gets_a_complement_in_the_same_row():
    table = pd.DataFrame({"L": [3, 20, 30], "P": [12, 25, 40]}, index=["A", "B", "C"])
    prot = disclosure.protect_2d(table, limit=5)
    assert prot.hidden.at["A", "L"]                       # primary
    assert prot.hidden.at["A", "P"]                       # row A would give it away
    assert prot.hidden["L"].sum() >= 2 and prot.hidden["P"].sum() >= 2
    shown = prot.display()
    assert shown.at["A", "L"] == disclosure.SUPPRESSED
    assert shown.at[disclosure.TOTAL_LABEL, disclosure.TOTAL_LABEL] == "130"
    published = prot.published()
    assert pd.isna(published.at["A", "L"]) and published.at["C", "P"] == 40


def test_zero_is_published_and_small_total_is_hidden():
    prot = disclosure.protect_series(pd.Series([0, 3, 0], index=["a", "b", "c"]), limit=5)
    assert not prot.hidden.at["a", "jumlah"] and prot.values.at["a", "jumlah"] == 0
    # b=3 is small; the total (3) equals it and is small too: both hidden, nothing leaks.
    assert prot.hidden.at["b", "jumlah"] and prot.hidden.at[disclosure.TOTAL_LABEL, "jumlah"]


def test_one_way_table_with_total_needs_a_second_hidden_cell():
    prot = disclosure.protect_series(pd.Series([2, 50, 9, 70], index=list("abcd")), limit=5)
    hidden = prot.hidden["jumlah"]
    assert hidden["a"] and hidden["c"] and not hidden["b"] and not hidden["d"]
    assert not hidden[disclosure.TOTAL_LABEL]


def test_bridge_between_two_cycles_is_closed():
    # Two 2x2 blocks of hidden cells joined by a single hidden cell: every row and column has
    # two hidden cells, yet the joining cell is computable. The simple row/column rule misses
    # this; the bridge test does not.
    net = Network()
    cells = {}
    values = {(0, 0): 2, (0, 1): 2, (1, 0): 2, (1, 1): 2, (1, 2): 2,
              (2, 2): 2, (2, 3): 2, (3, 2): 2, (3, 3): 2}
    for i in range(4):
        for j in range(4):
            cells[(i, j)] = net.add(("r", i), ("c", j), values.get((i, j), 50))
    for i in range(4):
        net.add(("P",), ("r", i), sum(values.get((i, j), 50) for j in range(4)))
    for j in range(4):
        net.add(("c", j), ("Q",), sum(values.get((i, j), 50) for i in range(4)))
    net.add(("Q",), ("P",), sum(values.get((i, j), 50) for i in range(4) for j in range(4)))
    hidden = net.suppress(LIMIT)
    assert_safe(net, hidden)


def test_threshold_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("CAKUPAN_SMALL_CELL_THRESHOLD", "10")
    prot = disclosure.protect_series(pd.Series([7, 30, 40], index=list("abc")))
    assert prot.hidden.at["a", "jumlah"]
