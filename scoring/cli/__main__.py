"""``python -m scoring.cli``, as ``scoring``."""

from scoring.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
