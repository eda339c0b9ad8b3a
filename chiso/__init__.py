"""chiso: Vietnamese government reports → clean, queryable indicator time series."""

__version__ = "0.1.0"
