//! A generic UWS 1.1 job engine: job store, phase state machine, runner and HTTP resources.
