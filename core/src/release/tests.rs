//! Unit tests of the release controller; scenarios run as shared vectors
//! (`tests/vectors/release.json`) and properties in `core/tests/release_props.rs`.
