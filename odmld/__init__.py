"""odmld: the open data maturity of local governments, published as Linked Open Data."""

__version__ = "0.1.0"
