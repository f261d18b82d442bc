"""The vocabulary's namespaces that every module needs, spelled out once.

A module that needs `rdf:type` or the XSD namespace imports it from here (issue 20: one place per
concept). The URI patterns under the base URI are listed in docs/modelling.md; moving their builders
here is the next step of that issue.
"""

from __future__ import annotations

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode(RDF + "type")
