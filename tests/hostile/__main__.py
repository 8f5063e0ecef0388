"""`python -m tests.hostile DIR [--small]`: build the hostile cases in DIR and list them."""

import sys
from pathlib import Path

from tests.hostile import build

built = build(Path(sys.argv[1]), big="--small" not in sys.argv)
for name, (why, codes) in sorted(built.pages.items()):
    print(f"{name}: {why} {sorted(codes)}")
for name, why in built.skipped.items():
    print(f"skipped {name}: {why}")
