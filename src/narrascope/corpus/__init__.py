"""Corpus analytics: how different outlets tell the same story, and who is pushing what.

Every view takes an iterable of ``Analysis`` (hand-built, freshly analysed, or streamed from a store
with ``store.iter_analyses()``) and returns a pydantic model or plain JSON-ready data, so the CLI,
the web API and notebooks share one implementation. Layers that the pipeline did not produce are
simply empty in the result.

=====================================  ===========================================================
``compare(analyses)``                  ``Comparison``: per-article (and per-outlet) sides — actors
                                       quoted/mentioned with roles, sourcing shares and claims,
                                       narratives/techniques only here or missing here — plus shared
                                       actors and statements.
``StoryIndex().add(analysis)``         story id; ``.stories()`` -> ``list[Story]``; ``save``/``load``.
``timeline(analyses, ...)``            ``Timeline``: dated statements and events in date order.
``actor_network(analyses, ...)``       ``networkx.MultiDiGraph``; ``to_dict`` (JSON), ``write_gexf``.
``prevalence(analyses)``               ``Prevalence``: by outlet, by ISO week, top speakers.
``actor_index`` / ``actor_profile``    ``list[ActorSummary]`` / ``ActorProfile | None``.
``export_corpus(analyses, dir, fmt)``  CSV/Parquet tables; ``quotes_csv(analysis)`` -> CSV text.
=====================================  ===========================================================

Modules are imported lazily by their users (``from narrascope.corpus.compare import compare``) so
importing this package stays cheap.
"""
