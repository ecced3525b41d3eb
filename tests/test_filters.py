"""One filter object (``store.queries.Filters``) from the API's keywords and the HTTP query down to the SQL."""

import dataclasses
import inspect

import pytest

from counterclaim.api.http import FILTER_PARAMETERS, filters_of
from counterclaim.store import Store
from counterclaim.store.queries import LISTINGS, Filters


def test_each_listing_takes_its_own_filters_and_refuses_the_others_as_python_would():
    assert Filters.of("claims", {"party": "AFG", "act": "deny"}) == Filters(party="AFG", act="deny")
    with pytest.raises(TypeError, match="articles take no filter 'party'"):
        Filters.of("articles", {"party": "AFG"})
    store = Store.open("sqlite://")
    try:
        assert store.claims(party="AFG", limit=1) == [] and store.events(status="claimed", offset=2) == []
        with pytest.raises(TypeError, match="events take no filter 'speaker'"):
            store.events(speaker="a spokesman")
        with pytest.raises(TypeError, match="claims take no filter 'colour'"):
            store.count_claims(colour="red")
    finally:
        store.close()


def test_every_filter_named_anywhere_is_declared_once():
    fields = {f.name for f in dataclasses.fields(Filters)}
    assert {name for names in LISTINGS.values() for name in names} == fields
    # the HTTP listings' parameters are the same filters (plus the cluster ones the store reads itself)
    assert fields - {"text", "id"} <= set(FILTER_PARAMETERS)


def test_an_http_listing_reads_the_parameters_it_names_in_that_order():
    read = filters_of("party", "since")
    assert list(inspect.signature(read).parameters) == ["party", "since"]
    assert read(party="PAK", since=None) == {"party": "PAK", "since": None}
