"""`python -m kiosk` is the same as the `kiosk` console script (township.cli). The one import
from kiosk/ upwards, declared in .importlinter: a process entry point, not a dependency."""

from township.cli import main

raise SystemExit(main())
