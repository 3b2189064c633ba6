"""Ingestion: from what a user points at to clean ``Article`` records.

``sources.iter_raw`` reads files, folders, stdin, URLs and feeds into ``pipeline.Raw`` records (or an
``IngestError`` per bad input); ``fetch`` does the SSRF-safe HTTP. The pipeline components
``extract_html`` (``html``), ``clean`` (``clean``) and ``language`` (``language``) turn a ``Raw`` into
the ``Article`` that every later offset refers to. Submodules are imported on use, so importing this
package stays cheap.
"""
