//! The model from facts.
