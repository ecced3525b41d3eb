"""Shipped data (lexicons, gazetteer, models) and the few pure-Python models of it that
every stage needs (``sides``): importable from ``nlp``, ``link`` and ``store`` alike."""
