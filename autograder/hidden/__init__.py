"""Hidden tests (instructor side only): never shipped to students, never readable by a worker."""
