"""The engine layer: the only code that imports whoosh.

Public surface (used by the CLI and the web app; nothing outside searchfic.engine imports
whoosh):

- ``searchfic.engine.store.open_index(index_dir) -> Index``: open the current generation
  (raises IndexMissingError / SchemaVersionError). ``Index.generation`` names it;
  ``Index.refresh()`` switches to a newer generation when one was published, cheaply;
  ``Index.searcher()`` is a context manager; ``Index.close()``.
- ``searchfic.engine.indexer.update_index(corpus, index_dir, rebuild=False, progress=None)
  -> UpdateSummary`` (``to_dict()`` gives the ``--json`` summary of interfaces.md).
- ``searchfic.engine.search.run(index, request) -> SearchResponse``;
  ``get_story(index, story_id) -> Story`` (NotFoundError when unknown);
  ``highlight_story(index, story, q) -> list[str]`` (HTML paragraphs, text escaped,
  matches in ``<mark>``); ``parse_query(q) -> ParsedQuery`` (``str()`` of it is what
  ``--explain`` prints).
"""
