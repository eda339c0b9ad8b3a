"""A run as a whole: which files to read, in which processes, under which lock, and what it decided."""
