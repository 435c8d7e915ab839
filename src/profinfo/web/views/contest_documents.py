"""Contest pages (being written)."""

urls: list = []
