"""aideps.graph.sorting: records sorted in runs on disk come out as sorted()
gives them, as often as they are read, and are held when no file can be written."""

from __future__ import annotations

import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aideps.graph.sorting import Blocks, Sorter

# Records as timeline and diff make them: a key (ints, strings), a serial
# number, then a payload that is never compared (a dict).
keys = st.tuples(st.integers(-(1 << 50), 1 << 50), st.integers(0, 3), st.text(max_size=3))


@settings(max_examples=150, deadline=None)
@given(st.lists(keys, max_size=60), st.integers(1, 9), st.integers(1, 5))
def test_records_come_out_as_sorted_gives_them_whatever_the_runs(found, held, block):
    records = [(*key, n, {"payload": n, "unorderable": [key]}) for n, key in enumerate(found)]
    sorter = Sorter()
    sorter.HELD, sorter.BLOCK = held, block
    for record in records:
        sorter.append(record)
    assert len(sorter) == len(records)
    assert len(sorter.runs) == len(records) // held  # the full runs are on disk
    assert list(sorter.sorted()) == sorted(records)
    assert list(sorter.sorted()) == sorted(records)  # read again: the same, from the start


def test_a_large_sort_holds_at_most_a_run_in_memory():
    sorter = Sorter()
    sorter.HELD = 1000
    for n in range(10_500):
        sorter.append(((n * 7919) % 10_007, n, "x"))
        assert len(sorter.held) < 1000
    assert len(sorter.runs) == 10
    out = list(sorter.sorted())
    assert out == sorted(out) and len(out) == 10_500


def test_without_room_for_runs_the_records_are_held(monkeypatch):
    def refused(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    sorter = Sorter()
    sorter.HELD = 3
    records = [(n % 4, n) for n in range(20)]
    for record in records:
        sorter.append(record)
    assert not sorter.runs and list(sorter.sorted()) == sorted(records)


def test_records_marshal_cannot_write_are_held():
    class Opaque:
        pass

    sorter = Sorter()
    sorter.HELD = 2
    records = [(3 - n, n, Opaque()) for n in range(4)]
    for record in records:
        sorter.append(record)
    assert not sorter.runs
    assert [record[1] for record in sorter.sorted()] == [3, 2, 1, 0]


@pytest.mark.parametrize("count", [0, 1])
def test_few_records_are_sorted_in_memory(count):
    sorter = Sorter()
    for n in range(count):
        sorter.append((n,))
    assert list(sorter.sorted()) == [(n,) for n in range(count)] and sorter.blocks.file is None


def test_a_block_write_that_fails_halfway_leaves_the_file_as_it_was():
    """A record marshal cannot write in a later block: what the write had
    written is taken back; the blocks before it still read back."""
    blocks = Blocks()
    first = blocks.write([(1, "a"), (2, "b"), (3, "c")], 2)
    size = blocks.file.seek(0, 2)
    with pytest.raises(ValueError):
        blocks.write([(4, "d"), (5, object())], 1)
    assert blocks.file.seek(0, 2) == size
    assert list(blocks.read(first)) == [[(1, "a"), (2, "b")], [(3, "c")]]
    blocks.close()
    assert blocks.file is None
