//! The execution phase of a job and the one table of legal transitions between phases
//! (UWS 1.1 §2.1.3). The HTTP actions and the runner only ask this table; they never decide
//! on their own which phase may follow which.

use std::fmt;
use std::str::FromStr;

/// The phases of UWS 1.1 §2.1.3, spelled as in the `uws:ExecutionPhase` XSD type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    Pending,
    Queued,
    Executing,
    Completed,
    Error,
    Aborted,
    Unknown,
    Held,
    Suspended,
    Archived,
}

/// Who may cause a transition: the client through an HTTP action, or the engine itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Client,
    Server,
}

/// Every legal `(from, to)` transition, with who may make it. vostok never enters UNKNOWN,
/// HELD, SUSPENDED or ARCHIVED: a full queue refuses RUN instead of holding the job, and a job
/// is destroyed (not archived) at its destruction time.
const TRANSITIONS: &[(Phase, Phase, Actor)] = &[
    // PHASE=RUN (§2.2.3.5).
    (Phase::Pending, Phase::Queued, Actor::Client),
    // PHASE=ABORT (§2.2.3.6): "at any time before the COMPLETED phase".
    (Phase::Pending, Phase::Aborted, Actor::Client),
    (Phase::Queued, Phase::Aborted, Actor::Client),
    (Phase::Executing, Phase::Aborted, Actor::Client),
    // The runner pool picks a queued job.
    (Phase::Queued, Phase::Executing, Actor::Server),
    // The work ends.
    (Phase::Executing, Phase::Completed, Actor::Server),
    (Phase::Executing, Phase::Error, Actor::Server),
    // The execution duration is exceeded: "the same effect as when a manual Abort is
    // requested" (§2.1.4).
    (Phase::Executing, Phase::Aborted, Actor::Server),
    // A queued job whose work cannot even be started (e.g. its directory is gone).
    (Phase::Queued, Phase::Error, Actor::Server),
];

impl Phase {
    pub const ALL: [Phase; 10] = [
        Phase::Pending,
        Phase::Queued,
        Phase::Executing,
        Phase::Completed,
        Phase::Error,
        Phase::Aborted,
        Phase::Unknown,
        Phase::Held,
        Phase::Suspended,
        Phase::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "PENDING",
            Phase::Queued => "QUEUED",
            Phase::Executing => "EXECUTING",
            Phase::Completed => "COMPLETED",
            Phase::Error => "ERROR",
            Phase::Aborted => "ABORTED",
            Phase::Unknown => "UNKNOWN",
            Phase::Held => "HELD",
            Phase::Suspended => "SUSPENDED",
            Phase::Archived => "ARCHIVED",
        }
    }

    /// The phases in which a blocking GET may block (UWS 1.1 §2.2.1.2).
    pub fn is_active(self) -> bool {
        matches!(self, Phase::Pending | Phase::Queued | Phase::Executing)
    }

    /// Whether `actor` may move a job from `self` to `to`.
    pub fn can_become(self, to: Phase, actor: Actor) -> bool {
        TRANSITIONS
            .iter()
            .any(|&(f, t, a)| f == self && t == to && (a == actor || actor == Actor::Server))
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Phase {
    type Err = String;

    /// Phase names are matched without regard to case, as DALI does for parameter values
    /// that are keywords.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("'{s}' is not a UWS execution phase"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Phase::ALL {
            assert_eq!(p.as_str().parse::<Phase>(), Ok(p));
            assert_eq!(p.as_str().to_lowercase().parse::<Phase>(), Ok(p));
        }
        assert!("RUN".parse::<Phase>().is_err());
    }

    #[test]
    fn client_transitions_are_exactly_run_and_abort_before_completion() {
        let mut client = Vec::new();
        for from in Phase::ALL {
            for to in Phase::ALL {
                if from.can_become(to, Actor::Client) {
                    client.push((from, to));
                }
            }
        }
        assert_eq!(
            client,
            vec![
                (Phase::Pending, Phase::Queued),
                (Phase::Pending, Phase::Aborted),
                (Phase::Queued, Phase::Aborted),
                (Phase::Executing, Phase::Aborted),
            ]
        );
    }

    #[test]
    fn server_transitions() {
        let legal = [
            (Phase::Queued, Phase::Executing),
            (Phase::Executing, Phase::Completed),
            (Phase::Executing, Phase::Error),
            (Phase::Executing, Phase::Aborted),
            (Phase::Queued, Phase::Error),
        ];
        for (from, to) in legal {
            assert!(from.can_become(to, Actor::Server), "{from} -> {to}");
            assert!(!from.can_become(to, Actor::Client) || to == Phase::Aborted);
        }
        // Terminal phases lead nowhere, for anyone.
        for from in [
            Phase::Completed,
            Phase::Error,
            Phase::Aborted,
            Phase::Archived,
        ] {
            for to in Phase::ALL {
                assert!(!from.can_become(to, Actor::Server), "{from} -> {to}");
            }
        }
        // Nothing skips the queue or goes back to PENDING.
        assert!(!Phase::Pending.can_become(Phase::Executing, Actor::Server));
        assert!(!Phase::Pending.can_become(Phase::Completed, Actor::Server));
        for from in Phase::ALL {
            assert!(!from.can_become(Phase::Pending, Actor::Server));
        }
    }

    #[test]
    fn only_pending_queued_executing_are_active() {
        let active: Vec<_> = Phase::ALL.into_iter().filter(|p| p.is_active()).collect();
        assert_eq!(
            active,
            vec![Phase::Pending, Phase::Queued, Phase::Executing]
        );
    }
}
