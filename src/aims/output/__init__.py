"""Writers: one module per `--format`, each turning an `Inventory` into a versioned document."""

from aims.output.base import RenderOptions, Writer, get_writer, writer_names

__all__ = ["RenderOptions", "Writer", "get_writer", "writer_names"]
