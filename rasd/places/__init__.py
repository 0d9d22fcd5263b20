"""Places: the gazetteer (GeoNames + countries + curated supplement + optional OCHA admin
names) and the recogniser that finds and geocodes place mentions in Arabic text."""
from .gazetteer import Entry, Gazetteer, build_index, index_path, load_gazetteer
from .recognize import find_places

__all__ = ["Entry", "Gazetteer", "build_index", "index_path", "load_gazetteer", "find_places"]
