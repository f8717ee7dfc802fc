//! Rendering with the shipped templates, the model's names against the schema, the CSV.
