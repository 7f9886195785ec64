//! Shared data generators for the rollgate benchmarks.
