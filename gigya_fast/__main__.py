"""``python -m gigya_fast``: the command line."""

from .cli import main

raise SystemExit(main())
