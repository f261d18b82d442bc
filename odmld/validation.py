"""SHACL validation of RDF files against odmld's shapes, with the model as background knowledge.

A submission is validated together with the ontology and the model data (the shapes look up, for
instance, which scheme a maturity level belongs to), but only the submitted data is the focus.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox
import pyshacl
import rdflib
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.util import guess_format

from . import vocab
from .loading import iter_rdf_files, LoadError
from .resources import folder, model_paths

QUAD_FORMATS = {"trig", "nquads"}


class BadLexicalForms(logging.Filter):
    """rdflib logs a warning with a whole traceback for every literal whose text is not of its datatype
    ("20x4-05-01"^^xsd:date): that is bad input, which the shapes report as a violation, not a fault of
    the service to log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(BadLexicalForms())
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


class UnreadableInput(Exception):
    """The input cannot be parsed: the message says where (pySHACL's exit code 2)."""


@dataclass(frozen=True)
class Finding:
    severity: str
    focus: str
    path: str | None
    value: str | None
    messages: dict[str, str]  # language -> message
    shape: str | None

    def message(self, lang: str) -> str:
        return (self.messages.get(lang) or self.messages.get("")
                or next(iter(self.messages.values()), "(no message)"))


@dataclass(frozen=True)
class Report:
    findings: list[Finding] = field(default_factory=list)
    report_graph: rdflib.Graph | None = None

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def read_graph(paths: Iterable[Path], base_uri: str) -> rdflib.Graph:
    """Parse every RDF file under `paths` into one rdflib graph (quads flattened)."""
    try:
        files = [file for path in paths for file in iter_rdf_files(Path(path))]
    except LoadError as error:
        raise UnreadableInput(str(error)) from None
    flat = rdflib.Graph()
    for file in files:
        rdf_format = guess_format(str(file)) or "turtle"
        target = rdflib.Dataset() if rdf_format in QUAD_FORMATS else flat
        try:
            if rdf_format == "json-ld":  # as the API reads a submission: rdflib's reader resolved the
                # example's relative IRIs otherwise (58 violations for data/examples/assessment.jsonld)
                flat.parse(data=jsonld_as_ntriples(file, base_uri), format="nt")
                continue
            target.parse(file, format=rdf_format, publicID=base_uri)
        except Exception as error:  # rdflib raises many unrelated types for bad syntax
            raise UnreadableInput(f"{file}: {error}") from None
        if target is not flat:
            for s, p, o, _ in target.quads((None, None, None, None)):
                flat.add((s, p, o))
    return flat


def jsonld_as_ntriples(path: Path, base_uri: str) -> str:
    """A JSON-LD file as N-Triples, parsed by pyoxigraph."""
    triples = ox.parse(path=str(path), format=ox.RdfFormat.JSON_LD, base_iri=base_uri)
    return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in triples],
                        format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


@lru_cache(maxsize=4)
def shapes_graph(base_uri: str) -> rdflib.Graph:
    """The shapes, parsed once per base URI (pySHACL does not modify them)."""
    return without_contexts(read_graph([folder("shapes")], base_uri))


@lru_cache(maxsize=4)
def assessment_shapes(base_uri: str) -> rdflib.Graph:
    """Only the assessment shapes: a submission is checked against these, not the whole model again."""
    return without_contexts(read_graph([folder("shapes") / "assessment.ttl"], base_uri))


def without_contexts(graph: rdflib.Graph) -> rdflib.Graph:
    """`graph` in rdflib's store that keeps no contexts (SimpleMemory), prefixes and all. pySHACL reads
    the shapes some 4,000 times a submission (each shape's path, severity, messages, parameters), and
    rdflib's default store works out the contexts of every triple it gives: a fifth of the validation."""
    simple = rdflib.Graph(store="SimpleMemory")
    for prefix, namespace in graph.namespaces():
        simple.bind(prefix, namespace)
    for triple in graph:
        simple.add(triple)
    return simple


@lru_cache(maxsize=4)
def model_graph(base_uri: str) -> rdflib.Graph:
    """The ontology and model data, parsed once per base URI; pySHACL mixes in a copy."""
    return read_graph(model_paths(), base_uri)


@lru_cache(maxsize=4)
def _model_index(base_uri: str) -> tuple[dict[rdflib.term.Node, list[tuple]], tuple[tuple, ...]]:
    """Of the model: the rdf:type and skos:inScheme statements of each term, and the class hierarchy."""
    model, about = model_graph(base_uri), {}
    for predicate in (RDF.type, SKOS.inScheme):
        for triple in model.triples((None, predicate, None)):
            about.setdefault(triple[0], []).append(triple)
    return about, tuple(model.triples((None, RDFS.subClassOf, None)))


def assessment_background(data: rdflib.Graph, base_uri: str) -> list[tuple]:
    """What the assessment shapes read of the model about `data`: the types and schemes of the terms it
    names (sh:class, the level's skos:inScheme) and the class hierarchy (sh:class and sh:targetClass
    follow rdfs:subClassOf). Validating with these gives the report the whole model gives, as those
    shapes read nothing else of it: 0.3 s less a submission than copying the model's 9,000 statements
    in for every one."""
    about, hierarchy = _model_index(base_uri)
    named = {term for triple in data for term in triple}
    return [triple for term in named for triple in about.get(term, ())] + list(hierarchy)


def validate_graph(data: rdflib.Graph, base_uri: str, background: Iterable[tuple] | None = None,
                   shapes: rdflib.Graph | None = None) -> Report:
    """Validate `data` against `shapes` (default: all of them); `background` (default: the model) is
    mixed in for lookups."""
    # pySHACL mixes an ont_graph in only when it runs inference, so the union is made here; it is this
    # call's own, so pySHACL may validate it in place rather than copy it first
    union = rdflib.Graph()
    for triple in (model_graph(base_uri) if background is None else background):
        union.add(triple)
    for triple in data:
        union.add(triple)
    shapes = shapes_graph(base_uri) if shapes is None else shapes
    validator = pyshacl.Validator(DataGraph.from_rdflib(union), shacl_graph=shapes, options={
        "inference": "none",
        "advanced": False,  # odmld's shapes are core SHACL: the advanced features (rules, functions) cost 15%
        "allow_warnings": True,
        "inplace": True,
    })
    validator.shacl_graph = prepared_shapes(shapes)
    _conforms, report_graph, _text = validator.run()
    return Report(findings=_findings(report_graph, base_uri), report_graph=report_graph)


class _HashedParameters(list):
    """pySHACL's list of the constraint parameters (sh:minCount, sh:class, ...) that answers `in` by hash.

    For every shape it validates, and again for every value node of a qualified value shape (121 times
    a submission, for "each domain at most once"), pySHACL asks each predicate of the shape whether it
    is in this list: 30,000 comparisons of rdflib terms in Python per submission, a fifth of its
    validation. The same list, the same answers (a term's hash agrees with its equality); a copy, which
    pySHACL's advanced mode makes to extend it, is a plain list again."""

    def __init__(self, parameters: list) -> None:
        super().__init__(parameters)
        self._members = frozenset(parameters)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _hash_the_constraint_parameters() -> None:
    """Give pySHACL its parameters as `_HashedParameters`, in the module cache it fills on first use
    (pyshacl.shape.CONSTRAINT_PARAMS) and reads before each shape's validation. A pySHACL without
    these internals is left as it is: slower, never different."""
    try:
        from pyshacl import shape
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:
        return
    if hasattr(shape, "CONSTRAINT_PARAMS"):
        shape.CONSTRAINT_PARAMS = (_HashedParameters(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)


_hash_the_constraint_parameters()
_prepared: dict[int, tuple[rdflib.Graph, ShapesGraph]] = {}
_preparing = threading.Lock()


def prepared_shapes(shapes: rdflib.Graph) -> ShapesGraph:
    """pySHACL's reading of `shapes` (its Shape objects), made once per process and shapes graph: a
    validator reads them again from the graph otherwise, a tenth of a submission's validation. Read
    whole before it is shared, as pySHACL reads them lazily on first use; they are only read after."""
    found = _prepared.get(id(shapes))
    if found is not None and found[0] is shapes:
        return found[1]
    with _preparing:
        found = _prepared.get(id(shapes))
        if found is None or found[0] is not shapes:
            prepared = ShapesGraph(shapes)
            list(prepared.shapes)
            if len(_prepared) >= 8:  # the shapes come from the caches above; never more than a few
                _prepared.clear()
            _prepared[id(shapes)] = found = (shapes, prepared)  # the graph kept: its id stays its own
        return found[1]


def validate_paths(paths: Iterable[Path], base_uri: str) -> Report:
    return validate_graph(read_graph(paths, base_uri), base_uri)


def _findings(report: rdflib.Graph, base_uri: str) -> list[Finding]:
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages = {}
        for message in report.objects(result, SH.resultMessage):
            messages[getattr(message, "language", None) or ""] = str(message)
        severity = report.value(result, SH.resultSeverity)
        findings.append(Finding(
            severity=SEVERITY_NAMES.get(severity, str(severity)),
            focus=_short(report.value(result, SH.focusNode), base_uri),
            path=_path_text(report, report.value(result, SH.resultPath), base_uri),
            value=_short(report.value(result, SH.value), base_uri),
            messages=messages,
            shape=_short(report.value(result, SH.sourceShape), base_uri),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(findings, key=lambda f: (order.get(f.severity, 3), f.focus, f.path or ""))


def _path_text(report: rdflib.Graph, path: rdflib.term.Node | None, base_uri: str) -> str | None:
    """A property path as text; a sequence path (an RDF list) as `p1/p2`."""
    if isinstance(path, rdflib.BNode) and report.value(path, RDF.first) is not None:
        return "/".join(_short(step, base_uri) or "" for step in Collection(report, path))
    return _short(path, base_uri)


def _short(term: rdflib.term.Node | None, base_uri: str) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    text = str(term)
    local = vocab.local_path(base_uri, text)
    return text if local is None else local


def format_report(report: Report, lang: str, where: Callable[[str], str] | None = None) -> str:
    """A plain-text report a data manager can read; `where` names a finding's focus in words (a
    blank node's label means nothing to the person who wrote the file)."""
    if lang == "nl":
        head = (f"Conform: {'ja' if report.conforms else 'nee'} — "
                f"{len(report.violations)} overtreding(en), {len(report.warnings)} waarschuwing(en)")
        labels = {"path": "pad", "value": "waarde"}
    else:
        head = (f"Conforms: {'yes' if report.conforms else 'no'} — "
                f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
        labels = {"path": "path", "value": "value"}
    lines = [head]
    for finding in report.findings:
        at = [where(finding.focus) if where is not None else f"<{finding.focus}>"]
        if finding.path:
            at.append(f"{labels['path']} <{finding.path}>")
        if finding.value:
            at.append(f"{labels['value']} {finding.value}")
        lines.append(f"[{finding.severity}] " + ", ".join(at))
        lines.append(f"    {finding.message(lang)}")
    return "\n".join(lines)
