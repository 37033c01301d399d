//! What the registry has published, remembered across restarts so that a resource removed from
//! the configuration is reported as deleted (OAI-PMH 2.0 §2.5.1, `deletedRecord` persistent) and
//! a record's datestamp moves only when the record changes (§2.7.1).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Fingerprint of the record without its dates.
    pub fingerprint: u64,
    /// When the resource was first found missing.
    pub deleted: Option<DateTime<Utc>>,
}

/// The resource a start-up publishes: its id, record fingerprint, and its data's newest
/// modification time, if it has data.
pub struct Current {
    pub identifier: String,
    pub fingerprint: u64,
    pub data_modified: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub entries: BTreeMap<String, Entry>,
}

impl Ledger {
    /// Reads what `to_text` wrote; a line that does not read is an error naming it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut entries = BTreeMap::new();
        for (number, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
            let bad = || format!("line {}: `{line}` is not a ledger entry", number + 1);
            let fields: Vec<&str> = line.split('\t').collect();
            let [id, created, updated, fingerprint, deleted] = fields.as_slice() else {
                return Err(bad());
            };
            let time = |s: &str| {
                s.parse::<i64>()
                    .ok()
                    .and_then(|s| DateTime::from_timestamp(s, 0))
            };
            let entry = Entry {
                created: time(created).ok_or_else(bad)?,
                updated: time(updated).ok_or_else(bad)?,
                fingerprint: u64::from_str_radix(fingerprint, 16).map_err(|_| bad())?,
                deleted: match *deleted {
                    "-" => None,
                    s => Some(time(s).ok_or_else(bad)?),
                },
            };
            entries.insert((*id).to_owned(), entry);
        }
        Ok(Self { entries })
    }

    /// One tab-separated line per identifier: id, created, updated, fingerprint, deleted.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for (id, e) in &self.entries {
            let deleted = e
                .deleted
                .map_or_else(|| "-".to_owned(), |d| d.timestamp().to_string());
            text.push_str(&format!(
                "{id}\t{}\t{}\t{:016x}\t{deleted}\n",
                e.created.timestamp(),
                e.updated.timestamp(),
                e.fingerprint
            ));
        }
        text
    }

    /// Records what is published now. An unchanged record keeps its dates (moved forward only by
    /// newer data); a new or changed one is dated now, or by its data when that is newer; a
    /// known one that is missing is deleted as of now.
    pub fn publish(&mut self, current: &[Current], now: DateTime<Utc>) {
        for resource in current {
            let data = resource.data_modified.map(|d| d.min(now));
            match self.entries.get_mut(&resource.identifier) {
                Some(entry)
                    if entry.deleted.is_none() && entry.fingerprint == resource.fingerprint =>
                {
                    if let Some(data) = data {
                        entry.updated = entry.updated.max(data);
                    }
                }
                Some(entry) => {
                    entry.updated = now;
                    entry.fingerprint = resource.fingerprint;
                    entry.deleted = None;
                }
                None => {
                    let created = data.unwrap_or(now);
                    self.entries.insert(
                        resource.identifier.clone(),
                        Entry {
                            created,
                            updated: created,
                            fingerprint: resource.fingerprint,
                            deleted: None,
                        },
                    );
                }
            }
        }
        for (id, entry) in &mut self.entries {
            if entry.deleted.is_none() && !current.iter().any(|c| &c.identifier == id) {
                entry.deleted = Some(now);
                entry.updated = now;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    fn current(id: &str, fingerprint: u64, data: Option<i64>) -> Current {
        Current {
            identifier: id.to_owned(),
            fingerprint,
            data_modified: data.map(at),
        }
    }

    #[test]
    fn records_are_dated_by_data_then_by_changes_and_removals() {
        let mut ledger = Ledger::default();
        ledger.publish(
            &[
                current("ivo://a/t", 1, Some(100)),
                current("ivo://a/s", 2, None),
            ],
            at(1000),
        );
        assert_eq!(ledger.entries["ivo://a/t"].updated, at(100));
        assert_eq!(ledger.entries["ivo://a/s"].created, at(1000));

        // Unchanged: dates stay; the ledger survives a round trip through its text.
        let mut ledger = Ledger::parse(&ledger.to_text()).unwrap();
        ledger.publish(
            &[
                current("ivo://a/t", 1, Some(100)),
                current("ivo://a/s", 2, None),
            ],
            at(2000),
        );
        assert_eq!(ledger.entries["ivo://a/t"].updated, at(100));
        assert_eq!(ledger.entries["ivo://a/s"].updated, at(1000));

        // Changed record, removed service.
        ledger.publish(&[current("ivo://a/t", 3, Some(100))], at(3000));
        assert_eq!(ledger.entries["ivo://a/t"].updated, at(3000));
        assert_eq!(ledger.entries["ivo://a/t"].created, at(100));
        assert_eq!(ledger.entries["ivo://a/s"].deleted, Some(at(3000)));

        // Still removed a day later: the deletion keeps its date.
        ledger.publish(&[current("ivo://a/t", 3, Some(100))], at(4000));
        assert_eq!(ledger.entries["ivo://a/s"].deleted, Some(at(3000)));

        // Back again: active, dated now.
        ledger.publish(
            &[
                current("ivo://a/t", 3, Some(100)),
                current("ivo://a/s", 2, None),
            ],
            at(5000),
        );
        assert_eq!(ledger.entries["ivo://a/s"].deleted, None);
        assert_eq!(ledger.entries["ivo://a/s"].updated, at(5000));
    }

    #[test]
    fn a_damaged_ledger_is_an_error_naming_the_line() {
        let error = Ledger::parse("ivo://a\t1\t2\t3\t-\nnonsense\n").unwrap_err();
        assert!(error.contains("line 2"), "{error}");
    }
}
