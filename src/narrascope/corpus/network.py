"""The actor network: who quotes whom, who speaks about whom, who appears with whom.

Nodes are actors (entity ids, or ``name:<folded name>`` for speakers the actor layer did not
resolve) and, optionally, outlets (an article without an outlet adds no outlet node). Edges are typed by ``kind`` (a networkx ``MultiDiGraph`` keeps
one edge per kind and pair, with a ``weight``):

* ``quotes`` — outlet -> speaker: the outlet quoted that actor (weight = quotes);
* ``speaks_about`` — speaker -> actor mentioned inside the speaker's quote (weight = mentions);
* ``co_occurs`` — actor -> actor mentioned in the same sentence (or the same article), stored once
  per pair in name order (weight = sentences/articles);
* ``mentions`` — outlet -> actor (weight = mentions), with ``include_mentions``.

Anonymous sources are not nodes (two "officials" are not known to be the same people); each outlet
node counts them in ``anonymous_quotes``. Built in one streaming pass; the graph only grows with the
number of distinct actors and pairs. ``write_gexf`` writes a file Gephi opens; ``to_dict`` gives
JSON for the web view.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from ..model import Analysis, Span
from .common import ActorRef, entity_ref, outlet_of, speaker_of, within

EdgeKind = Literal["quotes", "speaks_about", "co_occurs", "mentions"]
OUTLET_PREFIX = "outlet:"


def _node(graph: nx.MultiDiGraph, ref: ActorRef) -> str:
    if ref.key not in graph:
        graph.add_node(ref.key, label=ref.name, kind="actor", type=ref.type or "", mentions=0, quotes=0, articles=0)
    return ref.key


def _edge(graph: nx.MultiDiGraph, source: str, target: str, kind: EdgeKind, weight: int = 1) -> None:
    if graph.has_edge(source, target, key=kind):
        graph.edges[source, target, kind]["weight"] += weight
    else:
        graph.add_edge(source, target, key=kind, kind=kind, weight=weight)


def _cooccurrence_units(a: Analysis, level: str) -> list[Span]:
    if level == "article":
        return [Span.of(a.article.text, 0, len(a.article.text))]
    return a.sentences


def actor_network(
    analyses: Iterable[Analysis],
    *,
    cooccurrence: Literal["sentence", "article", "none"] = "sentence",
    include_outlets: bool = True,
    include_mentions: bool = False,
    min_weight: int = 1,
) -> nx.MultiDiGraph:
    """Build the network over a stream of analyses; edges lighter than ``min_weight`` are dropped."""
    graph = nx.MultiDiGraph()
    for a in analyses:
        # An article without an outlet has no outlet node: it is not known to share one with another.
        name = outlet_of(a) if include_outlets else None
        outlet = OUTLET_PREFIX + name if name else None
        if outlet is not None and outlet not in graph:
            graph.add_node(outlet, label=name, kind="outlet", type="OUTLET", articles=0, anonymous_quotes=0)
        if outlet is not None:
            graph.nodes[outlet]["articles"] += 1
        seen: set[str] = set()
        for e in a.entities:
            node = _node(graph, entity_ref(e))
            graph.nodes[node]["mentions"] += len(e.mentions)
            seen.add(node)
            if outlet is not None and include_mentions and e.mentions:
                _edge(graph, outlet, node, "mentions", len(e.mentions))
        for q in a.quotes:
            ref = speaker_of(a, q)
            if ref is None or ref.anonymous:
                if outlet is not None and ref is not None:
                    graph.nodes[outlet]["anonymous_quotes"] += 1
                continue
            speaker = _node(graph, ref)
            seen.add(speaker)
            graph.nodes[speaker]["quotes"] += 1
            if outlet is not None:
                _edge(graph, outlet, speaker, "quotes")
            for e in a.entities:
                if e.id == speaker:
                    continue
                n = sum(within(m, q.content) for m in e.mentions)
                if n:
                    _edge(graph, speaker, e.id, "speaks_about", n)
        for node in seen:
            graph.nodes[node]["articles"] += 1
        if cooccurrence != "none":
            for unit in _cooccurrence_units(a, cooccurrence):
                present = sorted({e.id for e in a.entities for m in e.mentions if within(m, unit)})
                for x, y in combinations(present, 2):
                    _edge(graph, x, y, "co_occurs")
    if min_weight > 1:
        graph.remove_edges_from([(u, v, k) for u, v, k, w in graph.edges(keys=True, data="weight") if w < min_weight])
    return graph


def write_gexf(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the graph as GEXF 1.2 (Gephi, networkx.read_gexf)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_gexf(graph, path)
    return path


def to_dict(graph: nx.MultiDiGraph, max_nodes: int | None = None) -> dict[str, Any]:
    """JSON-ready ``{"nodes": [{id, label, kind, ...}], "edges": [{source, target, kind, weight}]}``.

    ``max_nodes`` keeps the most connected nodes (weighted degree) so a web view stays readable.
    """
    nodes = list(graph.nodes)
    if max_nodes is not None and len(nodes) > max_nodes:
        degree = dict(graph.degree(weight="weight"))
        nodes = sorted(nodes, key=lambda n: -degree[n])[:max_nodes]
    keep = set(nodes)
    return {
        "nodes": [{"id": n, **graph.nodes[n]} for n in nodes],
        "edges": [
            {"source": u, "target": v, "kind": k, "weight": w}
            for u, v, k, w in graph.edges(keys=True, data="weight")
            if u in keep and v in keep
        ],
    }


def network_summary(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts for a CLI report: nodes by kind, edges by kind."""
    kinds: dict[str, int] = {}
    for _, _, k in graph.edges(keys=True):
        kinds[k] = kinds.get(k, 0) + 1
    return {
        "nodes": graph.number_of_nodes(),
        "actors": sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "actor"),
        "outlets": sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "outlet"),
        "edges": graph.number_of_edges(),
        "edges_by_kind": kinds,
    }
