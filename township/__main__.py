"""`python -m township` is the same as the `kiosk` console script."""

from township.cli import main

raise SystemExit(main())
