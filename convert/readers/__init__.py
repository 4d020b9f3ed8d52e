"""Built-in readers, one module per format; each exposes ``READER`` (a ReaderSpec)."""
