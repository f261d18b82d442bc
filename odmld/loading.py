"""Reading RDF files into the store, each triples file in a named graph of its own.

Every file is read once before anything is written (`plan_paths`: does it parse, which graphs does it
fill), so a file that does not parse is refused with its line and the store stays as it was; then each
is written into the store inside one write (`load_paths`). The graph of a triples file is named after
the file (`{base}graph/{folder}/{stem}`), so loading the same file again replaces exactly that graph;
TriG and N-Quads files keep the graphs they name.

Loading a file that did not change changes nothing: `odmld serve` loads the bundled model at every
start, and a reload that wrote the same statements again would still give each blank node a new label,
so the shapes, the ontology and the catalogue would change bytes, ETag, Last-Modified and dump
checksums at every restart, and every harvester would fetch them again. A file of up to
BULK_FILE_BYTES that fills named graphs is therefore read with blank-node labels made from its bytes and its graph (the same
file, the same labels) and written by its difference (graph_difference.py): the same file again is no
write at all. A larger file is streamed by the store's bulk loader, in memory that does not grow with
the file, and replaces its graphs whole (`written_whole`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import vocab
from .graph_difference import graph_changes
from .resources import BUNDLED_FOLDERS, folder
from .store_api import GraphName, Writer

BULK_FILE_BYTES = 8_000_000  # a file larger than this is streamed by the bulk loader

# Folders inside data/ that hold material meant for submission, not the published model.
SKIPPED_FOLDERS = frozenset({"examples"})
QUAD_FORMATS = frozenset({ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS})
# The file extensions odmld reads as RDF; pyoxigraph names the format of each. (It would also read
# `.txt` as N-Triples, which would turn a stray note into a load error.)
RDF_EXTENSIONS = frozenset({"ttl", "nt", "nq", "trig", "rdf", "owl", "jsonld", "n3"})


class LoadError(Exception):
    """A file cannot be loaded; the message names the file and, for syntax errors, the line."""


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    graph: ox.NamedNode | None  # the graph of a triples file; None for TriG / N-Quads
    quads: list[ox.Quad]

    @property
    def graphs(self) -> set[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
        if self.graph is not None:
            return {self.graph}
        return {quad.graph_name for quad in self.quads}


def rdf_format(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lstrip(".").lower()
    rdf = ox.RdfFormat.from_extension(suffix) if suffix in RDF_EXTENSIONS else None
    if rdf is None:
        raise LoadError(f"{path}: not a known RDF file extension ({path.suffix or 'none'})")
    return rdf


def iter_rdf_files(path: Path) -> list[Path]:
    """The RDF files at `path`: the file itself, or every RDF file below a folder, in a stable order."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise LoadError(f"{path}: no such file or folder")
    found = []
    for candidate in sorted(path.rglob("*")):
        relative = candidate.relative_to(path)
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in relative.parts[:-1]):
            continue
        if candidate.is_file() and candidate.suffix.lstrip(".").lower() in RDF_EXTENSIONS:
            found.append(candidate)
    return found


def graph_name(path: Path, base_uri: str) -> ox.NamedNode:
    """`{base}graph/data/maturity-model` for a bundled file, `{base}graph/file/{stem}` otherwise."""
    resolved = path.resolve()
    for name in BUNDLED_FOLDERS:
        root = folder(name).resolve()
        if resolved.is_relative_to(root):
            relative = resolved.relative_to(root).with_suffix("")
            return vocab.bundled_graph(base_uri, name, relative.as_posix())
    return vocab.file_graph(base_uri, resolved.stem)


def parse_file(path: Path, base_uri: str) -> ParsedFile:
    """Parse one file completely, resolving relative IRIs against `base_uri`."""
    rdf = rdf_format(path)
    target = None if rdf in QUAD_FORMATS else graph_name(path, base_uri)
    try:
        quads = list(ox.parse(path=str(path), format=rdf, base_iri=base_uri))
    except SyntaxError as error:
        raise LoadError(f"{path}: {syntax_message(error)}") from None
    except (OSError, ValueError) as error:
        raise LoadError(f"{path}: {error}") from None
    if target is not None:
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
    return ParsedFile(path=path, graph=target, quads=quads)


def parse_paths(paths: list[Path], base_uri: str) -> list[ParsedFile]:
    """Parse every RDF file under `paths` into memory; raise LoadError on the first that fails."""
    return [parse_file(file, base_uri) for file in rdf_files(paths)]


def rdf_files(paths: list[Path]) -> list[Path]:
    files = [file for path in paths for file in iter_rdf_files(Path(path))]
    if not files:
        raise LoadError(f"no RDF files found in {', '.join(str(p) for p in paths)}")
    return files


@dataclass(frozen=True)
class FilePlan:
    """One file as it will be loaded: its format, its graph (for a triples file; None for TriG and
    N-Quads) and how many quads it puts in each graph."""
    path: Path
    media_type: str  # the format, by name: a plan may be handed to the store's writer process
    target: ox.NamedNode | None
    counts: tuple[tuple[GraphName, int], ...]

    @property
    def graphs(self) -> set[GraphName]:
        return {graph for graph, _ in self.counts}

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return ox.RdfFormat.from_media_type(self.media_type)


def plan_file(path: Path, base_uri: str) -> FilePlan:
    """Read one file through, keeping only how many quads it puts in which graph: it parses, or
    LoadError with the file and the line."""
    rdf = rdf_format(path)
    target = None if rdf in QUAD_FORMATS else graph_name(path, base_uri)
    counts: Counter[GraphName] = Counter({target: 0} if target is not None else {})
    try:
        for quad in ox.parse(path=str(path), format=rdf, base_iri=base_uri):
            counts[target if target is not None else quad.graph_name] += 1
    except SyntaxError as error:
        raise LoadError(f"{path}: {syntax_message(error)}") from None
    except (OSError, ValueError) as error:
        raise LoadError(f"{path}: {error}") from None
    return FilePlan(path, rdf.media_type, target, tuple(counts.items()))


def plan_paths(paths: list[Path], base_uri: str) -> list[FilePlan]:
    """Every RDF file under `paths`, each read through once; LoadError on the first that fails."""
    return [plan_file(file, base_uri) for file in rdf_files(paths)]


def load_paths(writer: Writer, plans: list[FilePlan]) -> list[tuple[GraphName, int]]:
    """Write the planned files in `writer`'s write (a later file filling a graph replaces what an
    earlier one put there); returns the quads read per graph. The files of up to BULK_FILE_BYTES are
    written as one change of the statements that differ (so every graph they touch is counted before
    any is written: the VoID counts stay right when a dump brings its own description), each file
    `written_whole` after them."""
    wanted: dict[GraphName, list[ox.Quad]] = {}
    whole = [plan for plan in plans if written_whole(plan)]
    for plan in plans:
        if plan not in whole:
            wanted.update(stable_contents(plan, writer.base_uri))
    removed: set[ox.Quad] = set()
    added: set[ox.Quad] = set()
    for graph, quads in wanted.items():
        gone, new = graph_changes(writer, graph, quads)
        removed |= gone
        added |= new
    if removed or added:
        writer.change_quads(removed, added)
    for plan in whole:
        writer.load_file(plan.path, plan.rdf_format, plan.target, plan.graphs)
    counts: Counter[GraphName] = Counter()
    for plan in plans:
        counts.update(dict(plan.counts))
    return sorted(counts.items(), key=lambda item: str(item[0]))


def written_whole(plan: FilePlan) -> bool:
    """A file larger than BULK_FILE_BYTES (streamed by the bulk loader), or one filling the default
    graph or a graph named by a blank node (which a SPARQL server's graphs cannot be compared by),
    replaces its graphs whole."""
    return (plan.path.stat().st_size > BULK_FILE_BYTES
            or not all(isinstance(graph, ox.NamedNode) for graph in plan.graphs))


def stable_contents(plan: FilePlan, base_uri: str) -> dict[GraphName, list[ox.Quad]]:
    """The planned file's quads per graph (every planned graph, empty ones too), each blank node
    labelled by the file's bytes, its graph and the node's place in it: reading the same file into
    the same graph gives the same quads."""
    data = plan.path.read_bytes()
    seed = hashlib.sha256(f"{plan.target}\n".encode() + data).hexdigest()[:16]
    labels: dict[str, ox.BlankNode] = {}

    def stable(term: ox.Term) -> ox.Term:
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term.value, ox.BlankNode(f"b{seed}n{len(labels)}"))
        return term

    contents: dict[GraphName, list[ox.Quad]] = {graph: [] for graph in plan.graphs}
    for quad in ox.parse(data, format=plan.rdf_format, base_iri=base_uri):
        graph = plan.target if plan.target is not None else stable(quad.graph_name)
        contents.setdefault(graph, []).append(ox.Quad(stable(quad.subject), quad.predicate, stable(quad.object), graph))
    return contents


def syntax_message(error: SyntaxError) -> str:
    """pyoxigraph's message already says 'between line L column C and ...'; keep it, add the line."""
    message = str(error.msg if hasattr(error, "msg") else error)
    if error.lineno and "line" not in message:
        message = f"line {error.lineno}: {message}"
    return message
