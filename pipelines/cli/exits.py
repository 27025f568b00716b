"""Exit codes of the `emulation` command (also listed by `emulation --help`)."""

EXIT_OK = 0  # done (a refresh published; rejected reports are listed)
EXIT_FAILED = 1  # a refresh could not publish: the published warehouse is exactly as before
EXIT_BUSY = 2  # another refresh of the same warehouse is running
EXIT_USAGE = 3  # bad arguments or paths, one line on stderr (cli/paths.py checks the paths)
EXIT_SERVING_FAILED = 4  # a refresh published the warehouse, but the Parquet set or the PostgreSQL mirror failed
