"""``python -m narrascope``: the same command line as the ``narrascope`` script."""

from .cli import main

main()
