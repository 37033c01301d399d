//! ADQL 2.1: parsing, checking against a catalogue, and translation to DataFusion's SQL dialect.
