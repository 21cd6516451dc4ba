"""GraphML of the actor network (opens in Gephi): nodes are actor codes, edges carry event counts."""

from __future__ import annotations

from pathlib import Path

from ...store import Store
from ..query import Filters, network, network_graph


def actor_names(store: Store) -> dict[str, str]:
    _, rows = store.query("SELECT code, MIN(COALESCE(name, text)) FROM mentions GROUP BY code")
    return {code: name for code, name in rows if code}


def export_graphml(store: Store, out: Path, filters: Filters | None = None) -> Path:
    import networkx as nx

    out.mkdir(parents=True, exist_ok=True)
    path = out / "actor-network.graphml"
    graph = network_graph(network(store, filters=filters), actor_names(store))
    nx.write_graphml(graph, path)
    return path
