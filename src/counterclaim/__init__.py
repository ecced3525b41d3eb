"""counterclaim: conflict news in, a ledger of events and of who claims what out."""

import os

__version__ = "0.1.0"

# counterclaim never downloads at run time: its models come inside installed
# packages.  Telling the Hugging Face libraries so before anything imports them
# keeps a missing file an immediate error instead of a network wait (and a
# machine without network from hanging); a user's own setting wins.
for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_name, "1")
del _name
