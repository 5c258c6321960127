"""Support code for the tools people use directly: graphs, notebooks, replay, the CLI.

The public entry points are :mod:`fakesfn.graph`, :mod:`fakesfn.notebook` and
:mod:`fakesfn.replay`; the modules here read exported histories, lay out a
definition and render it. They sit above the backend and read histories only in
their API shape, so they work as well on histories recorded by real AWS.
"""
