//! (filled in by the store conversion)
