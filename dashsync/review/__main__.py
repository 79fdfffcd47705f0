"""python -m dashsync.review: the same command as `dashsync review`."""

from .cli import main

main()
