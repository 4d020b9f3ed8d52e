"""Built-in writers, one module per format; each exposes ``WRITER`` (a WriterSpec)."""
