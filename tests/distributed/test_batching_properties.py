"""Property tests of ItemBatcher's grouping: order kept, both limits honoured, greedy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fakesfn.engine.distributed import batch_groups
from fakesfn.payload import dump, payload_size

json_items = st.lists(
    st.one_of(
        st.integers(), st.text(max_size=12), st.dictionaries(st.text(max_size=4), st.integers(), max_size=3)
    ),
    max_size=30,
)
heads = st.one_of(st.just({}), st.builds(lambda tag: {"BatchInput": {"tag": tag}}, st.text(max_size=8)))


def size_of(head, group):
    return payload_size(dump({**head, "Items": group}))


@given(json_items, st.integers(min_value=1, max_value=8), st.integers(min_value=1, max_value=400), heads)
def test_batches_keep_order_and_limits(values, max_items, max_bytes, head):
    groups = batch_groups(values, max_items, max_bytes, head)
    assert [value for group in groups for value in group] == values
    for group in groups:
        assert 1 <= len(group) <= max_items
        assert len(group) == 1 or size_of(head, group) <= max_bytes
    # Greedy: the next batch's first item would not have fitted in the previous batch.
    for before, after in zip(groups, groups[1:], strict=False):
        grown = before + after[:1]
        assert len(grown) > max_items or size_of(head, grown) > max_bytes
