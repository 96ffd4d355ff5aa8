//! The checks of one wheel, in order: zip layout ([`crate::wheel_zip`]), identity
//! ([`super::dist_info`]), then RECORD against every member's bytes ([`super::record`]).

use std::collections::HashMap;
use std::path::Path;

use super::dist_info::{check_metadata, check_wheel_file, find_dist_info, top_level};
use super::record::{self, Expected};
use super::{LimitKind, RecordProblem, ValidatedWheel, WheelCheck, WheelError, zip_error};
use crate::hash::MultiHasher;
use crate::wheel_name::WheelName;
use crate::wheel_zip::{self, FileBytes, Member, ReadSeek};

/// Reports RECORD problems as errors, or as warnings when they are allowed.
struct RecordIssues<'a> {
    wheel: &'a str,
    allow: bool,
}

impl RecordIssues<'_> {
    fn report(&self, problem: RecordProblem) -> Result<(), WheelError> {
        if self.allow {
            tracing::warn!(wheel = self.wheel, "Invalid RECORD (allowed): {problem}");
            Ok(())
        } else {
            Err(WheelError::Record {
                wheel: self.wheel.to_string(),
                problem,
            })
        }
    }
}

/// One wheel being checked: its bytes, its members, and where RECORD problems go.
struct Check<'a> {
    src: FileBytes<'a>,
    wheel: &'a str,
    path: &'a Path,
    members: &'a [Member],
    index: HashMap<&'a str, usize>,
    record_path: String,
    signatures: [String; 2],
    issues: RecordIssues<'a>,
}

/// Validates a wheel read from `file` (`len` bytes; `path` for messages).
pub(super) fn validate_from(
    file: &mut dyn ReadSeek,
    len: u64,
    path: &Path,
    name: &WheelName,
    check: &WheelCheck,
) -> Result<ValidatedWheel, WheelError> {
    let wheel = name.filename();
    let mut src = FileBytes::new(file, len);
    let layout = wheel_zip::read_layout(&mut src, &check.limits.zip())
        .map_err(|e| zip_error(wheel, path, e))?;
    let members = &layout.members;
    let dist_info = find_dist_info(wheel, name, members)?;
    let record_path = format!("{dist_info}/RECORD");
    let mut c = Check {
        src,
        wheel,
        path,
        members,
        index: members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.as_str(), i))
            .collect(),
        signatures: [format!("{record_path}.jws"), format!("{record_path}.p7s")],
        record_path,
        issues: RecordIssues {
            wheel,
            allow: check.allow_invalid_record,
        },
    };

    let wheel_path = format!("{dist_info}/WHEEL");
    let wheel_file = c.required(&wheel_path, check.limits.max_metadata)?;
    let (wheel_tags, tag_note) = check_wheel_file(wheel, name, &wheel_path, &wheel_file)?;
    let metadata_path = format!("{dist_info}/METADATA");
    let metadata = c.required(&metadata_path, check.limits.max_metadata)?;
    check_metadata(wheel, name, &metadata_path, &metadata)?;
    let record = c.expected_rows(check.limits.max_metadata)?;
    c.check_members(record.as_ref())?;

    Ok(ValidatedWheel {
        top_level: top_level(
            members
                .iter()
                .filter(|m| !m.is_dir)
                .map(|m| m.name.as_str()),
        ),
        dist_info,
        metadata,
        members: members.len(),
        uncompressed_size: layout.uncompressed_size,
        wheel_tags,
        notes: tag_note.into_iter().collect(),
    })
}

impl Check<'_> {
    /// The bytes of a small member (`WHEEL`, `METADATA`, `RECORD`), if the wheel has it.
    fn small(&mut self, member: &str, max: u64) -> Result<Option<Vec<u8>>, WheelError> {
        let Some(&i) = self.index.get(member) else {
            return Ok(None);
        };
        let m = &self.members[i];
        if m.uncompressed > max {
            return Err(WheelError::Limit {
                wheel: self.wheel.to_string(),
                member: Some(member.to_string()),
                limit: LimitKind::Metadata,
                actual: m.uncompressed,
                max,
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(m.uncompressed).unwrap_or(0));
        wheel_zip::stream_member(&mut self.src, m, &mut bytes)
            .map_err(|e| zip_error(self.wheel, self.path, e))?;
        Ok(Some(bytes))
    }

    /// [`Check::small`] for a member the wheel must have.
    fn required(&mut self, member: &str, max: u64) -> Result<Vec<u8>, WheelError> {
        self.small(member, max)?
            .ok_or_else(|| WheelError::MissingMember {
                wheel: self.wheel.to_string(),
                member: member.to_string(),
            })
    }

    /// What RECORD says each member must be; `None` when RECORD is missing or unreadable and
    /// that is allowed.
    fn expected_rows(&mut self, max: u64) -> Result<Option<HashMap<String, Expected>>, WheelError> {
        let record_path = self.record_path.clone();
        let rows = match self.small(&record_path, max)? {
            None => {
                self.issues.report(RecordProblem::Missing(record_path))?;
                return Ok(None);
            }
            Some(bytes) => match record::parse_rows(&bytes) {
                Err(problem) => {
                    self.issues.report(problem)?;
                    return Ok(None);
                }
                Ok(rows) => rows,
            },
        };
        let issues = &self.issues;
        let mut expected: HashMap<String, Expected> = HashMap::with_capacity(rows.len());
        let mut seen_rows: HashMap<String, (String, String)> = HashMap::new();
        for row in rows {
            // A row for a directory (`pkg/`, as some tools write) lists nothing to check.
            let is_dir_row = row.path.ends_with('/')
                || self
                    .index
                    .get(row.path.as_str())
                    .is_some_and(|&i| self.members[i].is_dir);
            if is_dir_row {
                tracing::debug!(
                    wheel = self.wheel,
                    "RECORD line {} lists the directory `{}`",
                    row.line,
                    row.path
                );
                continue;
            }
            if let Some(first) = seen_rows.get(&row.path) {
                // The same row twice is harmless; two different claims are not.
                if first != &(row.hash.clone(), row.size.clone()) {
                    issues.report(RecordProblem::DuplicateRow {
                        line: row.line,
                        path: row.path,
                    })?;
                }
                continue;
            }
            seen_rows.insert(row.path.clone(), (row.hash.clone(), row.size.clone()));
            if !self.index.contains_key(row.path.as_str()) {
                issues.report(RecordProblem::NoFile {
                    line: row.line,
                    path: row.path.clone(),
                })?;
            }
            let exempt = row.path == self.record_path || self.signatures.contains(&row.path);
            let checked = match record::expected(&row) {
                Ok(e) => e,
                Err(problem) => {
                    issues.report(problem)?;
                    continue;
                }
            };
            if checked.digest.is_none() && !exempt {
                issues.report(RecordProblem::NoHash {
                    line: row.line,
                    path: row.path.clone(),
                })?;
            }
            expected.insert(row.path, checked);
        }
        Ok(Some(expected))
    }

    /// Streams every member in file order (sequential reads, each byte checked once) through
    /// its decompressor, CRC-32 and the hash RECORD names.
    fn check_members(
        &mut self,
        record: Option<&HashMap<String, Expected>>,
    ) -> Result<(), WheelError> {
        let members = self.members;
        let mut order: Vec<&Member> = members.iter().filter(|m| !m.is_dir).collect();
        order.sort_by_key(|m| m.local_offset);
        for m in order {
            let row = record.and_then(|r| r.get(&m.name));
            // RECORD need not list itself (it cannot hold its own hash anyway).
            if record.is_some()
                && row.is_none()
                && !self.signatures.contains(&m.name)
                && m.name != self.record_path
            {
                self.issues
                    .report(RecordProblem::Unlisted(m.name.clone()))?;
            }
            let wanted = row.and_then(|r| r.digest.as_ref());
            let mut hasher = MultiHasher::new(wanted.map(|(a, _)| *a));
            wheel_zip::stream_member(&mut self.src, m, &mut hasher)
                .map_err(|e| zip_error(self.wheel, self.path, e))?;
            if let Some((algorithm, digest)) = wanted {
                let actual = hasher.finish().into_iter().next().map(|d| d.bytes);
                if actual.as_ref() != Some(digest) {
                    self.issues.report(RecordProblem::HashMismatch {
                        member: m.name.clone(),
                        algorithm: *algorithm,
                        expected: record::encode(digest),
                        actual: record::encode(&actual.unwrap_or_default()),
                    })?;
                }
            }
            if let Some(size) = row.and_then(|r| r.size)
                && size != m.uncompressed
            {
                self.issues.report(RecordProblem::SizeMismatch {
                    member: m.name.clone(),
                    expected: size,
                    actual: m.uncompressed,
                })?;
            }
        }
        Ok(())
    }
}
