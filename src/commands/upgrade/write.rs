//! `upgrade --write`: the new pins written into the requirements file in place.
//!
//! Input: the file and the plans that change a pin. Output: the file rewritten atomically (a
//! temp file in the same folder, then a rename, with the original's permissions), every other
//! byte kept: comments, order, markers, extras, blank lines, line endings. In a changed logical
//! line only the version after `==` is replaced; `--hash` options of a changed line are dropped
//! (they name the old release's files), with a warning, and the line's continuation lines are
//! joined. Lines of other (included) files are not rewritten; a warning says so.

use std::io::Write as _;
use std::path::Path;

use super::ProjectPlan;
use crate::commands::Error;

/// Rewrites the pins; returns the warnings.
pub fn rewrite(path: &Path, changes: &[&ProjectPlan]) -> Result<Vec<String>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("Failed to read", path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::usage(
            format!(
                "`{}` is not UTF-8: `--write` cannot rewrite it",
                path.display()
            ),
            Some("Save it as UTF-8, or apply the plan by hand.".into()),
        )
    })?;
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let mut warnings = Vec::new();
    for plan in changes {
        let Some(new) = &plan.proposed else { continue };
        let Some(number) = line_in(path, &plan.location) else {
            warnings.push(format!(
                "`{}` is pinned in `{}`, not in `{}`: not rewritten",
                plan.name,
                plan.location,
                path.display()
            ));
            continue;
        };
        match rewrite_line(&mut lines, number - 1, new) {
            Ok(0) => {}
            Ok(n) => warnings.push(format!(
                "Dropped {n} `--hash` option(s) of `{}` at `{}`: they are the old release's; run `nbwheel resolve` for the new hashes",
                plan.name, plan.location
            )),
            Err(why) => warnings.push(format!(
                "`{}` at `{}` was not rewritten: {why}",
                plan.name, plan.location
            )),
        }
    }
    write_atomically(path, lines.concat().as_bytes())?;
    Ok(warnings)
}

/// The 1-based line number of `location` (`file:line`) when it is in `path`.
fn line_in(path: &Path, location: &str) -> Option<usize> {
    let (file, line) = location.rsplit_once(':')?;
    (Path::new(file) == path).then_some(())?;
    line.parse().ok().filter(|n| *n > 0)
}

/// Replaces the version after the first `==` of the logical line starting at `start`; returns
/// how many `--hash` options were dropped.
fn rewrite_line(lines: &mut Vec<String>, start: usize, new: &str) -> Result<usize, String> {
    let mut end = start;
    while lines
        .get(end)
        .is_some_and(|l| l.trim_end_matches(['\n', '\r']).ends_with('\\'))
        && end + 1 < lines.len()
    {
        end += 1;
    }
    let first = lines.get(start).ok_or("the line is gone")?;
    let eol = &first[first.trim_end_matches(['\n', '\r']).len()..];
    let eol = eol.to_string();
    let logical: Vec<&str> = lines[start..=end]
        .iter()
        .map(|l| l.trim_end_matches(['\n', '\r']))
        .collect();
    let hashes = logical
        .iter()
        .map(|l| l.matches("--hash").count())
        .sum::<usize>();
    let head = logical[0];
    let pos = head.find("==").ok_or("no `==` pin on its first line")?;
    if head[..pos].contains(['#', ';']) {
        return Err("no `==` pin before its marker or comment".into());
    }
    let after = pos + 2;
    let skip = head[after..].len() - head[after..].trim_start().len();
    let vstart = after + skip;
    let vlen = head[vstart..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._+!-*".contains(c)))
        .unwrap_or(head.len() - vstart);
    let mut new_head = format!("{}{new}{}", &head[..vstart], &head[vstart + vlen..]);
    if hashes == 0 {
        lines[start] = format!("{new_head}{eol}");
        return Ok(0);
    }
    // Keep everything before the first `--hash` (and a trailing comment of the last line).
    if let Some(h) = new_head.find("--hash") {
        new_head.truncate(h);
    }
    let mut kept = new_head
        .trim_end()
        .trim_end_matches('\\')
        .trim_end()
        .to_string();
    let last = logical[logical.len() - 1];
    if let Some(c) = last.find(" #") {
        kept.push_str(&last[last[..c].trim_end().len()..]);
    }
    lines.splice(start..=end, std::iter::once(format!("{kept}{eol}")));
    Ok(hashes)
}

/// Writes `bytes` to `path` through a temp file in the same folder and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".nbwheel-upgrade-")
        .tempfile_in(dir)
        .map_err(|e| Error::io("Failed to create a temp file in", dir, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io("Failed to write", temp.path().to_path_buf(), e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(temp.path(), meta.permissions());
    }
    temp.persist(path)
        .map_err(|e| Error::io("Failed to replace", path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, line: usize, new: &str) -> (String, Result<usize, String>) {
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        let r = rewrite_line(&mut lines, line - 1, new);
        (lines.concat(), r)
    }

    #[test]
    fn only_the_version_changes() {
        let (out, r) = run(
            "# plugins\r\nnetbox-dns == 1.0.0 ; python_version >= \"3.10\"  # DNS\r\nx==1\r\n",
            2,
            "1.2.0",
        );
        assert_eq!(r, Ok(0));
        assert_eq!(
            out,
            "# plugins\r\nnetbox-dns == 1.2.0 ; python_version >= \"3.10\"  # DNS\r\nx==1\r\n"
        );
        let (out, _) = run("a[b]==2.0\n", 1, "3.0.1");
        assert_eq!(out, "a[b]==3.0.1\n");
    }

    #[test]
    fn hashes_are_dropped_and_continuations_joined() {
        let (out, r) = run(
            "a==1.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb  # pinned\nb==2\n",
            1,
            "1.1",
        );
        assert_eq!(r, Ok(2));
        assert_eq!(out, "a==1.1  # pinned\nb==2\n");
        let (out, r) = run("a==1.0 --hash=sha256:aa\n", 1, "2.0");
        assert_eq!((out.as_str(), r), ("a==2.0\n", Ok(1)));
    }

    #[test]
    fn lines_without_a_pin_are_refused() {
        let (_, r) = run("a>=1 ; x == \"1\"\n", 1, "2.0");
        assert!(r.is_err());
    }
}
