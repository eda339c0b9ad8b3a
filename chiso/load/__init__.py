"""Loading: the landing contract, the frames written to it, the build directory and dbt."""
