"""counterclaim: conflict news in, a ledger of events and of who claims what out."""

__version__ = "0.1.0"
