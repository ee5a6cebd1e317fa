"""``python -m boardpack``: the same command line as ``generate-report``."""

from generate_report import cli

if __name__ == "__main__":  # not when a spawned chart worker imports this module as __mp_main__
    cli()
