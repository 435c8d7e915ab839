"""ПрофИнфо: the information-work system of a trade union."""
