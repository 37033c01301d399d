//! VOResource records, VOSI capabilities and the OAI-PMH publishing registry.
