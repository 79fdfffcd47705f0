"""`make bench`: figures and ratios for the maintainers' speed targets (never asserted in tests)."""
