//! The engine's limits: the `[uws]` section of the server's configuration.

use serde::Deserialize;

/// Limits of the job engine. Durations are in seconds; 0 means "no limit" where the standard
/// gives 0 that meaning (UWS 1.1 §2.1.4: an execution duration of 0 is unlimited).
///
/// The TAP capabilities report `default/max_execution_duration` as TAPRegExt
/// `executionDuration`, `default/max_destruction` as `retentionPeriod` and `max_upload_bytes`
/// as `uploadLimit`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UwsLimits {
    /// Execution duration given to a job that does not ask for one.
    pub default_execution_duration: u64,
    /// Longest execution duration a client may ask for (0: unlimited).
    pub max_execution_duration: u64,
    /// Delay from creation to destruction given to a job that does not ask for one
    /// (0: jobs are kept until deleted).
    pub default_destruction: u64,
    /// Longest delay from creation to destruction a client may ask for (0: unlimited).
    pub max_destruction: u64,
    /// Jobs QUEUED or EXECUTING beyond which PHASE=RUN is refused with 503.
    pub max_queue_length: usize,
    /// Jobs executing at once.
    pub concurrent_jobs: usize,
    /// Longest blocking GET (UWS 1.1 §2.2.1.2); WAIT=-1 waits this long.
    pub max_wait: u64,
    /// Largest request body (form or multipart, inline uploads included), in bytes.
    pub max_upload_bytes: usize,
    /// Time a job's work gets to stop after it has been cancelled, in milliseconds, before
    /// it is dropped.
    pub cancel_grace_ms: u64,
}

impl Default for UwsLimits {
    fn default() -> Self {
        UwsLimits {
            default_execution_duration: 3_600,
            max_execution_duration: 4 * 3_600,
            default_destruction: 7 * 24 * 3_600,
            max_destruction: 30 * 24 * 3_600,
            max_queue_length: 100,
            concurrent_jobs: 2,
            max_wait: 60,
            max_upload_bytes: 64 * 1024 * 1024,
            cancel_grace_ms: 2_000,
        }
    }
}

impl UwsLimits {
    /// The execution duration actually granted for a requested one (UWS 1.1 §2.2.3.4: the
    /// service may substitute a value of its choosing).
    pub fn grant_execution_duration(&self, requested: u64) -> u64 {
        match (requested, self.max_execution_duration) {
            (_, 0) => requested,
            (0, max) => max,
            (r, max) => r.min(max),
        }
    }

    /// Checks the limits make sense together; the message names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        if self.concurrent_jobs == 0 {
            return Err("uws.concurrent_jobs must be at least 1".into());
        }
        if self.max_queue_length == 0 {
            return Err("uws.max_queue_length must be at least 1".into());
        }
        if self.max_execution_duration != 0
            && (self.default_execution_duration == 0
                || self.default_execution_duration > self.max_execution_duration)
        {
            return Err(
                "uws.default_execution_duration must be between 1 and uws.max_execution_duration"
                    .into(),
            );
        }
        if self.max_destruction != 0
            && (self.default_destruction == 0 || self.default_destruction > self.max_destruction)
        {
            return Err("uws.default_destruction must be between 1 and uws.max_destruction".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(UwsLimits::default().validate(), Ok(()));
    }

    #[test]
    fn execution_duration_is_capped_and_zero_means_the_maximum() {
        let limits = UwsLimits {
            max_execution_duration: 100,
            ..UwsLimits::default()
        };
        assert_eq!(limits.grant_execution_duration(10), 10);
        assert_eq!(limits.grant_execution_duration(1000), 100);
        assert_eq!(limits.grant_execution_duration(0), 100);
        let unlimited = UwsLimits {
            max_execution_duration: 0,
            ..UwsLimits::default()
        };
        assert_eq!(unlimited.grant_execution_duration(0), 0);
        assert_eq!(unlimited.grant_execution_duration(5000), 5000);
    }

    #[test]
    fn inconsistent_limits_are_refused() {
        let bad = UwsLimits {
            default_execution_duration: 10,
            max_execution_duration: 5,
            ..UwsLimits::default()
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .contains("default_execution_duration")
        );
        let no_workers = UwsLimits {
            concurrent_jobs: 0,
            ..UwsLimits::default()
        };
        assert!(no_workers.validate().is_err());
    }
}
